"""Inbound authentication: enforced unless the test-only switch is on, and that switch is refused
anywhere but loopback. JWTs are checked by the SDK against keys served by the fake connector."""

from __future__ import annotations

import dataclasses
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.teams.server import TeamsServer, check_config, serve
from knowledge.errors import ConfigError
from knowledge.settings import Settings
from tests.teams.conftest import TENANT, message

APP_ID = "00000000-0000-0000-0000-00000000b07"
ISSUER = "https://api.botframework.com"


@pytest.fixture
def secure_settings(sample_kb):
    return sample_kb.settings.with_overrides(teams_client_id=APP_ID,
                                             teams_client_secret="not-a-real-secret",
                                             teams_tenant_id=TENANT, host="127.0.0.1")


def test_unsigned_requests_are_rejected_when_auth_is_on(start_bot, connector, secure_settings,
                                                        sample_kb):
    assert secure_settings.teams.insecure_no_auth is False
    bot = start_bot(secure_settings, sample_kb, cloud=_cloud(connector))  # no keys served
    status, _ = bot.post(message("who chairs the SPRG?", connector.url))
    assert status == 401
    status, _ = bot.post(message("who chairs the SPRG?", connector.url), token="not-a-jwt")
    assert status == 401
    unsigned = jwt.encode({"aud": APP_ID, "iss": ISSUER, "serviceurl": connector.url,
                           "exp": int(time.time()) + 600}, key=None, algorithm="none")
    status, _ = bot.post(message("who chairs the SPRG?", connector.url), token=unsigned)
    assert status == 401
    # The SDK answers 401 before any handler is scheduled, so there is nothing to wait for.
    assert connector.calls == []  # nothing was processed, nothing was sent


def _cloud(connector):
    """Public cloud settings with JWT key discovery pointed at the fake connector."""
    from microsoft_teams.api.auth.cloud_environment import PUBLIC

    return dataclasses.replace(
        PUBLIC, openid_metadata_url=f"{connector.url}/v1/.well-known/openidconfiguration")


def _key_pair(kid: str):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
    return private, public_jwk


def _token(private, kid: str, service_url: str, **claims) -> str:
    now = int(time.time())
    payload = {"aud": APP_ID, "iss": ISSUER, "serviceurl": service_url, "iat": now,
               "nbf": now, "exp": now + 600, **claims}
    return jwt.encode(payload, private, algorithm="RS256", headers={"kid": kid})


def test_signed_requests_are_validated_against_the_connector_keys(start_bot, connector,
                                                                  secure_settings, sample_kb):
    private, public_jwk = _key_pair("key-1")
    connector.jwks = {"keys": [public_jwk]}
    cloud = _cloud(connector)
    outbound = jwt.encode({"aud": "https://api.botframework.com", "exp": 4102444800},
                          "test-signing-key-of-adequate-length", algorithm="HS256")
    bot = start_bot(secure_settings, sample_kb, cloud=cloud,
                    outbound_token=lambda scope, tenant: outbound)

    forger, _ = _key_pair("key-1")  # same key id, different key: the signature fails
    status, _ = bot.post(message("who chairs the SPRG?", connector.url),
                         token=_token(forger, "key-1", connector.url))
    assert status == 401
    status, _ = bot.post(message("who chairs the SPRG?", connector.url),
                         token=_token(private, "key-1", connector.url, aud="someone-else"))
    assert status == 401
    status, _ = bot.post(message("who chairs the SPRG?", connector.url),
                         token=_token(private, "key-1", "https://elsewhere.example"))
    assert status == 401
    assert connector.messages() == []

    status, _ = bot.post(message("who chairs the SPRG?", connector.url),
                         token=_token(private, "key-1", connector.url))
    assert status == 200
    [reply] = connector.wait_messages(1)
    assert "Brereton" in reply["body"]["text"]
    assert reply["authorization"] == f"Bearer {outbound}"  # replies carry the bot's token


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "bot.example.org", "::"])
def test_insecure_switch_is_refused_off_loopback(host, sample_kb):
    settings = sample_kb.settings.with_overrides(teams_insecure_no_auth=True, host=host)
    with pytest.raises(ConfigError, match="SGBOT_TEAMS_INSECURE_NO_AUTH"):
        check_config(settings)
    with pytest.raises(ConfigError, match="loopback"):
        serve(settings, sample_kb)
    with pytest.raises(ConfigError):
        TeamsServer(settings, sample_kb)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_insecure_switch_is_allowed_on_loopback(host, sample_kb):
    check_config(sample_kb.settings.with_overrides(teams_insecure_no_auth=True, host=host))


def test_insecure_switch_from_the_environment_with_default_host_is_refused(tmp_path):
    settings = Settings.from_env({"SGBOT_TEAMS_INSECURE_NO_AUTH": "1",
                                  "SGBOT_DATA_DIR": str(tmp_path)}, env_file=None)
    assert settings.teams.insecure_no_auth and settings.host == "0.0.0.0"
    with pytest.raises(ConfigError, match="not a loopback address"):
        check_config(settings)


def test_missing_credentials_refused_when_auth_is_on(sample_kb):
    settings = sample_kb.settings.with_overrides(host="127.0.0.1")
    with pytest.raises(ConfigError, match="TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET"):
        check_config(settings)
    with pytest.raises(ConfigError, match="TEAMS_CLIENT_SECRET"):
        check_config(settings.with_overrides(teams_client_id=APP_ID))


def test_tokens_need_exp_and_sane_issue_times(start_bot, connector, secure_settings, sample_kb):
    private, public_jwk = _key_pair("key-1")
    connector.jwks = {"keys": [public_jwk]}
    bot = start_bot(secure_settings, sample_kb, cloud=_cloud(connector),
                    outbound_token=lambda scope, tenant: "unused")
    now = int(time.time())
    no_exp = jwt.encode({"aud": APP_ID, "iss": ISSUER, "serviceurl": connector.url, "iat": now},
                        private, algorithm="RS256", headers={"kid": "key-1"})
    refused = {
        "no exp": no_exp,
        "exp not a number": _token(private, "key-1", connector.url, exp="tomorrow"),
        "issued in the future": _token(private, "key-1", connector.url, iat=now + 3600,
                                       exp=now + 7200),
        "not yet valid": _token(private, "key-1", connector.url, nbf=now + 3600),
        "lives a century": _token(private, "key-1", connector.url, exp=now + 100 * 365 * 86400),
    }
    for why, token in refused.items():
        status, body = bot.post(message("who chairs the SPRG?", connector.url), token=token)
        assert (status, body) == (401, {"error": "Unauthorized"}), why
    assert connector.messages() == []


@pytest.mark.parametrize("overrides", [{}, {"allowed_tenants": ()}])
def test_serve_refuses_to_start_without_a_tenant(sample_kb, overrides):
    settings = sample_kb.settings.with_overrides(teams_client_id=APP_ID, host="127.0.0.1",
                                                 teams_client_secret="not-a-real-secret",
                                                 **overrides)
    assert settings.teams.tenant_id is None and not settings.teams.multi_tenant
    with pytest.raises(ConfigError, match="TEAMS_TENANT_ID") as refused:
        serve(settings, sample_kb)
    assert "SGBOT_TEAMS_MULTI_TENANT=1" in refused.value.hint


@pytest.mark.parametrize("overrides, tenants", [
    ({"teams_tenant_id": TENANT}, (TENANT,)),
    ({"allowed_tenants": ("t-1", "t-2")}, ("t-1", "t-2")),
    ({"teams_tenant_id": TENANT, "allowed_tenants": ("t-1",)}, ("t-1",)),
    ({"teams_multi_tenant": True}, ()),
])
def test_a_tenant_or_an_explicit_multi_tenant_switch_starts(sample_kb, overrides, tenants):
    settings = sample_kb.settings.with_overrides(teams_client_id=APP_ID, host="127.0.0.1",
                                                 teams_client_secret="not-a-real-secret",
                                                 **overrides)
    check_config(settings)
    assert settings.teams.serves_tenants == tenants


def test_multi_tenant_switch_from_the_environment(tmp_path):
    base = {"SGBOT_DATA_DIR": str(tmp_path)}
    assert not Settings.from_env(base, env_file=None).teams.multi_tenant
    assert Settings.from_env({**base, "SGBOT_TEAMS_MULTI_TENANT": "1"},
                             env_file=None).teams.multi_tenant
