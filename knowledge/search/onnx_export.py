"""One-off ONNX export of a sentence-transformers model (and its int8 variant), offline.

Export needs torch and transformers; serving the files needs only onnxruntime.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.errors import ModelError

#: Bump when the exported graph changes, so cached ONNX files are rebuilt once.
ONNX_EXPORT_VERSION = "1"


@contextmanager
def no_progress_bars() -> Iterator[None]:
    """Load a model without transformers' "Loading weights" progress bar (noise in every
    command's output). Only the bars go: warnings and errors still reach the log."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def model_config(path: Path) -> tuple[int, bool]:
    """(max_seq_length, mean pooling?) of a sentence-transformers model directory."""
    max_len = 256
    config = path / "sentence_bert_config.json"
    if config.is_file():
        max_len = int(json.loads(config.read_text()).get("max_seq_length") or max_len)
    pooling = path / "1_Pooling" / "config.json"
    if not pooling.is_file():
        return max_len, True
    modes = json.loads(pooling.read_text())
    # sentence-transformers >= 6 saves {"pooling_mode": "mean"}; earlier versions one flag
    # per mode (a model fine-tuned here is saved in the newer form)
    mean = modes.get("pooling_mode") == "mean" or bool(modes.get("pooling_mode_mean_tokens"))
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
        _, mean = model_config(model_dir)
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

        with no_progress_bars():
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


def quantize_onnx(source: Path, target: Path) -> Path:
    """Dynamic int8 weights for the MatMuls only, one scale per output channel (once, offline).

    Per-channel MatMul-only keeps vectors within cosine ~0.99 of fp32 (quantising every op,
    embeddings included, drifted to 0.96) at about twice the speed on AVX-only CPUs.
    """
    import fcntl
    import logging

    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file():
            return target
        from onnxruntime.quantization import QuantType, quantize_dynamic

        def no_preprocess_advice(record: logging.LogRecord) -> bool:
            return not str(record.msg).startswith("Please consider to run pre-processing")

        root = logging.getLogger()
        root.addFilter(no_preprocess_advice)
        tmp = target.with_suffix(".tmp")
        try:
            quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8,
                             per_channel=True, op_types_to_quantize=["MatMul"])
        finally:
            root.removeFilter(no_preprocess_advice)
        os.replace(tmp, target)
    return target


def ort_errors() -> tuple[type[Exception], ...]:
    """onnxruntime's error classes (Fail, InvalidProtobuf, NoSuchFile, ...): no common base."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    return tuple(v for v in vars(state).values()
                 if isinstance(v, type) and issubclass(v, Exception))
