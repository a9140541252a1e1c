"""Repository paths for ingestion tests."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SAMPLE_QUESTIONS = REPO / "tests" / "fixtures" / "sample-questions.jsonl"
