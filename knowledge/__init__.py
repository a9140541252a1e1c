"""Transport-free core: retrieval, extractive answers, learning summaries, feedback.

Nothing here imports Slack, Teams or CLI code (tests/test_architecture.py checks it).
"""

from knowledge.errors import SgbotError
from knowledge.settings import Settings
from knowledge.types import Answer, Citation, DocumentInfo, Passage, ScoredPassage

__all__ = ["Answer", "Citation", "DocumentInfo", "Passage", "ScoredPassage", "Settings",
           "SgbotError", "KnowledgeBase"]


def __getattr__(name: str):
    if name == "KnowledgeBase":  # lazy: keeps `import knowledge` cheap for cold starts
        from knowledge.kb import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(name)
