"""20 simultaneous questions through the Slack HTTP endpoint: throughput and p95.

    python bench/slack_concurrency.py [--passages 1000] [--backend onnx] [--questions 20]

`sgbot serve slack --mode http` runs as its own process on a loopback port, its Web API pointed
(SLACK_API_URL) at the fake Slack server from tests/slack/fake_slack.py running in this process.
Twenty signed direct-message events are posted at once; each question's latency is from its
POST to the fake `chat.postMessage` carrying its answer. Throughput is questions answered per
second from the first POST to the last answer. One warm-up question is answered first.
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


def post(url: str, body: str) -> int:
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers=signed_headers(body, "application/json"))
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


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
    args = parser.parse_args(argv)
    print(f"# slack concurrency, {machine()}")
    data_dir, built = build(corpus(args.passages), args.backend)
    fake = FakeSlack()
    port = free_port()
    env = {**os.environ, "SGBOT_DATA_DIR": str(data_dir), "SGBOT_EMBED_BACKEND": args.backend,
           "SGBOT_SLACK_MODE": "http", "SGBOT_SLACK_PORT": str(port), "SGBOT_HOST": "127.0.0.1",
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url,
           "PYTHONPATH": str(REPO), "SGBOT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--env-file", os.devnull, "serve",
                             "slack", "--mode", "http"], env=env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        wait_ready(port, proc)
        post(url, event("What is early help?", "D0WARM", "1700000000.000001", "EvWARM"))
        answered_at(fake, "D0WARM", 120)
        asked = questions()[: args.questions]
        sent: dict[str, float] = {}
        barrier = threading.Barrier(len(asked))

        def send(i: int) -> None:
            channel = f"D0B{i:02d}"
            body = event(asked[i], channel, f"1700005000.{i:06d}", f"EvB{i:02d}")
            barrier.wait()
            sent[channel] = time.monotonic()
            post(url, body)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(asked))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done = {c: answered_at(fake, c, 300) for c in sent}
        latencies = [1000 * (done[c] - sent[c]) for c in sent]
        span = max(done.values()) - min(sent.values())
        stats = percentiles(latencies)
        print(f"index: {built['passages']} passages, embedder {args.backend}")
        print(f"RESULT {len(asked)} simultaneous questions: throughput "
              f"{len(asked) / span:.2f} answers/s, latency p50 {stats['p50_ms']} ms, "
              f"p95 {stats['p95_ms']} ms, max {max(latencies):.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        fake.close()
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
