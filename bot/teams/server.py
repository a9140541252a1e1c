"""`sgbot serve teams`: the Teams bot's HTTP endpoint (`POST /api/messages`, `GET /healthz`).

Built on the Teams SDK's `App` with its FastAPI adapter, served by uvicorn on `SGBOT_HOST` and
`SGBOT_TEAMS_PORT`. Inbound requests are authenticated by the SDK (Bot Framework JWTs, checked
against the app id in `TEAMS_CLIENT_ID`); replies go to the activity's `serviceUrl` with a token
for `TEAMS_CLIENT_ID`/`TEAMS_CLIENT_SECRET`. `SGBOT_TEAMS_INSECURE_NO_AUTH=1` turns inbound
authentication off for local tests and is refused unless the server listens on loopback.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import warnings
from typing import Any

from knowledge.errors import ConfigError

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
MESSAGING_ENDPOINT = "/api/messages"
#: SDK loggers whose DEBUG lines include whole activities (message text): never below WARNING.
SDK_LOGGERS = ("microsoft_teams", "uvicorn.access")


def check_config(settings) -> None:
    """Refuse settings that would run the bot unauthenticated in the open, or not at all."""
    if settings.teams.insecure_no_auth:
        if settings.host not in LOOPBACK_HOSTS:
            raise ConfigError(
                f"SGBOT_TEAMS_INSECURE_NO_AUTH=1 is refused because SGBOT_HOST={settings.host!r} "
                "is not a loopback address",
                hint="it switches off authentication and is for local tests only; set "
                     "SGBOT_HOST=127.0.0.1 or remove SGBOT_TEAMS_INSECURE_NO_AUTH",
            )
        return
    missing = [name for name, value in (("TEAMS_CLIENT_ID", settings.teams.client_id),
                                        ("TEAMS_CLIENT_SECRET", settings.teams.client_secret))
               if not value]
    if missing:
        raise ConfigError(f"{' and '.join(missing)} not set",
                          hint="copy them from the Azure Bot registration; see docs/teams.md")
    if not 0 < settings.teams.port < 65536:
        raise ConfigError(f"SGBOT_TEAMS_PORT={settings.teams.port} is not a valid port")
    if not (settings.teams.serves_tenants or settings.teams.multi_tenant):
        raise ConfigError("TEAMS_TENANT_ID (or SGBOT_ALLOWED_TENANTS) is not set: the bot would "
                          "answer any Microsoft Entra tenant",
                          hint="set TEAMS_TENANT_ID to your Directory (tenant) ID, or list the "
                               "tenants in SGBOT_ALLOWED_TENANTS; SGBOT_TEAMS_MULTI_TENANT=1 "
                               "serves every tenant on purpose")


def _import_sdk():
    """Import the SDK, silencing only its import-time 'preview feature' notice."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HtmlWidgetSecurityPolicy is in preview",
                                category=FutureWarning)
        import microsoft_teams.apps as apps
    return apps


def build_app(settings, kb, *, assistant=None, cloud=None, outbound_token=None):
    """The SDK `App` with our handlers and `/healthz`; returns (app, fastapi_app).

    `cloud` (a `CloudEnvironment`) and `outbound_token` (a token callable, used instead of the
    client secret) exist so tests can point JWT key discovery and outbound auth at loopback
    fakes: the SDK's client-secret path goes through MSAL, which accepts only https authorities.
    """
    check_config(settings)
    apps = _import_sdk()
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    from bot.health import health_response
    from bot.teams.handlers import TeamsBot
    from knowledge.assistant import Assistant

    assistant = assistant or Assistant(settings, kb)
    api = FastAPI(title="sgbot teams", docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/healthz")
    async def healthz() -> JSONResponse:
        status, body = await asyncio.to_thread(health_response, settings, kb)
        return JSONResponse(body, status_code=status)

    options: dict[str, Any] = {
        "http_server_adapter": apps.FastAPIAdapter(app=api),
        "messaging_endpoint": MESSAGING_ENDPOINT,
        # explicit, so the SDK's own DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS env is ignored
        "dangerously_allow_unauthenticated_requests": bool(settings.teams.insecure_no_auth),
        "state": False,
        "telemetry": {"agent365": False},
    }
    # Without a secret (allowed only in the loopback test mode) no credentials are passed, so
    # replies go out unauthenticated instead of the SDK trying managed identity.
    if settings.teams.client_id and (outbound_token is not None or settings.teams.client_secret):
        options["client_id"] = settings.teams.client_id
        options["tenant_id"] = settings.teams.tenant_id
        if outbound_token is not None:
            options["token"] = outbound_token
        else:
            options["client_secret"] = settings.teams.client_secret
    if cloud is not None:
        options["cloud"] = cloud
    with warnings.catch_warnings():  # App() builds the SDK's own deprecated BotClient
        warnings.filterwarnings("ignore", message="The bot client is deprecated",
                                category=DeprecationWarning)
        app = apps.App(**options)
    TeamsBot(settings, assistant).register(app)
    return app, api


class TeamsServer:
    """Runs the app under uvicorn; `serve()` blocks until `stop()` (or a signal)."""

    def __init__(self, settings, kb, *, sock: socket.socket | None = None, **build: Any) -> None:
        self.settings = settings
        quiet_sdk_loggers()
        self.app, self.api = build_app(settings, kb, **build)
        self.sock = sock
        self._server = None

    @property
    def started(self) -> bool:
        return bool(self._server is not None and self._server.started)

    async def serve(self) -> None:
        import uvicorn

        from bot.teams.http_guard import MessagesGuard, uvicorn_options

        await self.app.initialize()
        guarded = MessagesGuard(self.api, path=MESSAGING_ENDPOINT,
                                check_claims=not self.settings.teams.insecure_no_auth)
        config = uvicorn.Config(guarded, host=self.settings.host, port=self.settings.teams.port,
                                log_level="warning", access_log=False, lifespan="on",
                                **uvicorn_options(self.settings))
        self._server = uvicorn.Server(config)
        log.info("teams bot listening host=%s port=%s endpoint=%s auth=%s",
                 self.settings.host, self.settings.teams.port, MESSAGING_ENDPOINT,
                 "off (test only)" if self.settings.teams.insecure_no_auth else "on")
        await self._server.serve(sockets=[self.sock] if self.sock else None)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True


def quiet_sdk_loggers() -> None:
    """The SDK logs whole activities (with message text) at DEBUG: keep its loggers at WARNING."""
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))


def serve(settings, kb) -> int:
    """Entry point for `sgbot serve teams`."""
    check_config(settings)
    quiet_sdk_loggers()
    if settings.teams.insecure_no_auth:
        log.warning("SGBOT_TEAMS_INSECURE_NO_AUTH=1: inbound authentication is OFF (tests only)")
    server = TeamsServer(settings, kb)
    try:
        asyncio.run(server.serve())
    except KeyboardInterrupt:
        log.info("teams bot stopped")
    return 0
