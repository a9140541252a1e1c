"""`sgbot doctor`'s checks of the chat adapters' settings (Slack, Teams): what is missing or
odd, and where in the Slack or Azure portal to find it."""

from __future__ import annotations

from bot.cli.doctor_report import Check


def adapter_checks(settings, *, slack: bool, teams: bool) -> list[Check]:
    if not (slack or teams):
        slack = bool(settings.slack.bot_token or settings.slack.app_token
                     or settings.slack.signing_secret)
        teams = bool(settings.teams.client_id or settings.teams.client_secret
                     or settings.teams.tenant_id or settings.teams.insecure_no_auth)
    if not (slack or teams):
        return [Check("chat adapters", "warn", "no Slack or Teams credentials are set; only the "
                      "command line will work",
                      "set SLACK_* or TEAMS_* in .env (see docs/deploying.md)")]
    checks = []
    if slack:
        checks.append(check_slack(settings))
    if teams:
        checks.append(check_teams(settings))
    return checks


def check_slack(settings) -> Check:
    missing = []
    if not settings.slack.bot_token:
        missing.append(("SLACK_BOT_TOKEN", "OAuth & Permissions > Bot User OAuth Token (xoxb-)"))
    if settings.slack.mode == "socket" and not settings.slack.app_token:
        missing.append(("SLACK_APP_TOKEN", "Basic Information > App-Level Tokens, scope "
                        "connections:write (xapp-)"))
    if settings.slack.mode == "http" and not settings.slack.signing_secret:
        missing.append(("SLACK_SIGNING_SECRET", "Basic Information > App Credentials > "
                        "Signing Secret"))
    if missing:
        names = ", ".join(name for name, _ in missing)
        where = "; ".join(f"{name}: {place}" for name, place in missing)
        return Check("slack credentials", "fail",
                     f"{settings.slack.mode} mode needs {names}, which is not set",
                     f"copy from your Slack app's settings page into .env ({where})")
    odd = []
    if not settings.slack.bot_token.startswith("xoxb-"):
        odd.append("SLACK_BOT_TOKEN does not start with xoxb-")
    if settings.slack.mode == "socket" and not settings.slack.app_token.startswith("xapp-"):
        odd.append("SLACK_APP_TOKEN does not start with xapp-")
    mode = ("socket mode" if settings.slack.mode == "socket"
            else f"http mode on port {settings.slack.port} at /slack/events")
    if odd:
        return Check("slack credentials", "warn", f"{mode}; " + "; ".join(odd),
                     "use the Bot User OAuth Token (xoxb-) and an App-Level Token (xapp-)")
    return Check("slack credentials", "ok", f"tokens present for {mode}")


def check_teams(settings) -> Check:
    if settings.teams.insecure_no_auth:
        return Check("teams credentials", "warn", "SGBOT_TEAMS_INSECURE_NO_AUTH is on: requests "
                     "are not authenticated", "only for a local emulator; set it to 0 in "
                     "production")
    missing = [name for name, value in (("TEAMS_CLIENT_ID", settings.teams.client_id),
                                        ("TEAMS_CLIENT_SECRET", settings.teams.client_secret))
               if not value]
    if missing:
        return Check("teams credentials", "fail", f"{', '.join(missing)} not set",
                     "copy the Azure Bot's app registration values (Application (client) ID and "
                     "a client secret) into .env")
    where = f"port {settings.teams.port} at /api/messages"
    if not settings.teams.tenant_id:
        if settings.teams.allowed_tenants or settings.teams.multi_tenant:
            return Check("teams credentials", "warn", f"client id and secret present ({where}); "
                         "TEAMS_TENANT_ID not set", "single-tenant Azure Bots (the default) need "
                         "the Directory (tenant) ID in TEAMS_TENANT_ID")
        return Check("teams credentials", "fail", "TEAMS_TENANT_ID and SGBOT_ALLOWED_TENANTS "
                     "not set: `sgbot serve teams` refuses to answer every tenant",
                     "set TEAMS_TENANT_ID to the Directory (tenant) ID, or "
                     "SGBOT_TEAMS_MULTI_TENANT=1 to serve every tenant on purpose")
    return Check("teams credentials", "ok", f"client id, secret and tenant present; {where}")
