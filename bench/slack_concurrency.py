"""Simultaneous questions through the Slack HTTP endpoint: throughput, ack and answer p95,
duplicates, refusals.

    python bench/slack_concurrency.py [--passages 1000] [--backend onnx] [--questions 20]
        [--retries 1] [--max-connections 64] [--burst 0 --stalled 0]

`sgbot serve slack --mode http` runs as its own process on a loopback port, its Web API pointed
(SLACK_API_URL) at the fake Slack server from tests/slack/fake_slack.py running in this process.
Twenty signed direct-message events are posted at once; each question's latency is from its
POST to the fake `chat.postMessage` carrying its answer. Throughput is questions answered per
second from the first POST to the last answer. One warm-up question is answered first.

Each event is also re-delivered `--retries` times at once with `X-Slack-Retry-Num`, as Slack does
when an ack is late: an event answered more than once is a duplicate. Ack latency is POST to HTTP
response (Slack gives up after 3 s). `--burst N --stalled K` then holds K idle connections open
(a stalled proxy or client) and posts N events at once against the server's `--max-connections`
cap: refusals are the 503s; each refused event is re-sent after its Retry-After (up to 3 times,
as Slack retries) and must still be answered exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from scale_common import REPO, build, corpus, machine, percentiles, questions

sys.path.insert(0, str(REPO))
from tests.slack.fake_slack import BOT_USER, TEAM, TOKEN, FakeSlack  # noqa: E402
from tests.slack.harness import SECRET, answer_posts, signed_headers  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def event(text: str, channel: str, ts: str, event_id: str) -> str:
    return json.dumps({
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "message", "channel_type": "im", "user": "UBENCH", "text": text,
                  "channel": channel, "ts": ts},
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    })


def post(url: str, body: str, retry: int | None = None) -> int:
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers=signed_headers(body, "application/json", retry=retry))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code
    except (ConnectionError, urllib.error.URLError):  # refused and reset before the 503 was read
        return 0


def timed_post(url: str, body: str, retry: int | None = None) -> tuple[int, float]:
    started = time.monotonic()
    status = post(url, body, retry)
    return status, 1000 * (time.monotonic() - started)


def fire(jobs: list) -> list:
    """Run callables at once (a barrier releases them together); results in order."""
    results: list = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        barrier.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def duplicates(fake: FakeSlack, channels: list[str], settle: float = 2.0) -> int:
    """Extra answers beyond one per channel, after waiting `settle` s for late duplicates."""
    time.sleep(settle)
    return sum(max(0, len(answer_posts(fake, channel=c)) - 1) for c in channels)


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def answered_at(fake: FakeSlack, channel: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = answer_posts(fake, channel=channel)
        if posts:
            return posts[0].at
        time.sleep(0.005)
    raise SystemExit(f"no answer posted to {channel} within {timeout}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Slack HTTP endpoint under concurrent load")
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--backend", default="onnx", choices=["onnx", "torch", "fake"])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--retries", type=int, default=1,
                        help="re-deliveries of each event, sent at once with the original")
    parser.add_argument("--max-connections", type=int, default=None,
                        help="SGBOT_HTTP_MAX_CONNECTIONS for the server (default: its default)")
    parser.add_argument("--burst", type=int, default=0,
                        help="then post this many events at once to probe the cap")
    parser.add_argument("--stalled", type=int, default=0,
                        help="idle connections held open during the burst")
    args = parser.parse_args(argv)
    print(f"# slack concurrency, {machine()}")
    data_dir, built = build(corpus(args.passages), args.backend)
    fake = FakeSlack()
    port = free_port()
    env = {**os.environ, "SGBOT_DATA_DIR": str(data_dir), "SGBOT_EMBED_BACKEND": args.backend,
           "SGBOT_SLACK_MODE": "http", "SGBOT_SLACK_PORT": str(port), "SGBOT_HOST": "127.0.0.1",
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url,
           "PYTHONPATH": str(REPO), "SGBOT_LOG_LEVEL": "WARNING",
           "SGBOT_FRONT_DOOR_NAME": "Wyvernshire Front Door",  # serve refuses without it
           "SGBOT_FRONT_DOOR_PHONE": "01632 960000",
           "SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE": "01632 960001"}
    if args.max_connections:
        env["SGBOT_HTTP_MAX_CONNECTIONS"] = str(args.max_connections)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--env-file", os.devnull, "serve",
                             "slack", "--mode", "http"], env=env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        wait_ready(port, proc)
        post(url, event("What is early help?", "D0WARM", "1700000000.000001", "EvWARM"))
        answered_at(fake, "D0WARM", 120)
        asked = (questions() * (1 + args.questions // len(questions())))[: args.questions]
        bodies = {f"D0B{i:03d}": event(q, f"D0B{i:03d}", f"1700005000.{i:06d}", f"EvB{i:03d}")
                  for i, q in enumerate(asked)}
        jobs = [(lambda b=b: timed_post(url, b)) for b in bodies.values()]
        jobs += [(lambda b=b, r=r: timed_post(url, b, retry=r))
                 for r in range(1, args.retries + 1) for b in bodies.values()]
        started = time.monotonic()
        acks = fire(jobs)
        done = {c: answered_at(fake, c, 300) for c in bodies}
        latencies = [1000 * (t - started) for t in done.values()]
        span = max(done.values()) - started
        stats, ack = percentiles(latencies), percentiles([ms for _, ms in acks])
        statuses = sorted({status for status, _ in acks})
        print(f"index: {built['passages']} passages, embedder {args.backend}")
        print(f"RESULT {len(asked)} simultaneous questions (+{args.retries} retries each, "
              f"{len(jobs)} POSTs at once): throughput {len(asked) / span:.2f} answers/s, "
              f"answer p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, "
              f"max {max(latencies):.0f} ms; ack p50 {ack['p50_ms']} ms, p95 {ack['p95_ms']} ms, "
              f"max {max(ms for _, ms in acks):.0f} ms; statuses {statuses}; "
              f"duplicates {duplicates(fake, list(bodies))}")
        if args.burst:
            burst(url, fake, args.burst, args.stalled)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        fake.close()
    print(machine())
    return 0


def burst(url: str, fake: FakeSlack, count: int, stalled: int) -> None:
    """`count` events at once beside `stalled` idle connections; refused ones are re-sent."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    idle = [socket.create_connection((host, int(port)), timeout=30) for _ in range(stalled)]
    time.sleep(0.5)  # let the server accept them
    bodies = {f"D0C{i:03d}": event(f"Who leads burst topic {i}?", f"D0C{i:03d}",
                                   f"1700006000.{i:06d}", f"EvC{i:03d}") for i in range(count)}
    results = fire([(lambda b=b: timed_post(url, b)) for b in bodies.values()])
    refused = [c for c, (status, _) in zip(bodies, results, strict=True) if status != 200]
    ack = percentiles([ms for status, ms in results if status == 200] or [0.0])
    codes = sorted({status for status, _ in results})
    pending, rounds = list(refused), 0
    while pending and rounds < 3:  # Slack retries a failed delivery up to 3 times
        rounds += 1
        time.sleep(1.0)  # Retry-After
        pending = [c for c in pending if post(url, bodies[c], retry=rounds) != 200]
    for sock in idle:
        sock.close()
    for c in refused:
        if c in pending:
            print(f"  {c} still refused after 3 retries")
    for c in set(bodies) - set(pending):
        answered_at(fake, c, 300)
    print(f"RESULT burst of {count} events beside {stalled} idle connections: {len(refused)} "
          f"refused (statuses {codes}), accepted ack p95 {ack['p95_ms']} ms; after {rounds} "
          f"retry rounds {len(refused) - len(pending)}/{len(refused)} accepted; "
          f"{count - len(pending)} answered, duplicates {duplicates(fake, list(bodies))}")


if __name__ == "__main__":
    sys.exit(main())
