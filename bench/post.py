"""Posting: messages per second through the Flask test client, with 0 and 50 listeners.

POST /room/<id>/chat (JSON, CSRF header) as a visitor's browser sends it, on the embedded
SQLite default, with nobody listening (baseline) and with Flask-SocketIO test clients
joined to the room, each of which receives every message.
"""

import re
import statistics
import tempfile
import time
from pathlib import Path

from app.extensions import socketio

from .embedded import embedded_app
from .report import percentile, ratio, table

POSTS = 500  # per configuration; --quick: QUICK_POSTS
QUICK_POSTS = 60
WARMUP = 20


class Visitor:
    """One browser: its own cookie jar (session, color) and CSRF token."""

    def __init__(self, app):
        self.client = app.test_client()
        page = self.client.get("/")
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        self.app = app

    def create_room(self, max: int) -> str:
        response = self.client.post(
            "/room", data={"title": "bench", "max": max, "password": "", "csrf_token": self.csrf}
        )
        if response.status_code != 302:
            raise RuntimeError(f"creating a room answered {response.status_code}")
        return response.headers["Location"].rsplit("/", 1)[1]

    def join(self, room_id: str):
        """Open the room's page and join its feed; returns the Socket.IO test client."""
        self.client.get(f"/room/{room_id}")
        sock = socketio.test_client(self.app, namespace="/chat", flask_test_client=self.client)
        ack = sock.emit("join", room_id, namespace="/chat", callback=True)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"join refused: {ack}")
        return sock

    def post_chat(self, room_id: str, text: str):
        return self.client.post(
            f"/room/{room_id}/chat", json={"chat": text}, headers={"X-CSRFToken": self.csrf}
        )


def _measure(app, poster: Visitor, listeners: int, posts: int) -> list[float]:
    """Seconds per post of `posts` posts into a fresh room with `listeners` joined sockets."""
    room_id = poster.create_room(max=100)
    own = poster.join(room_id)  # only someone in the room may post to it
    sockets = [Visitor(app).join(room_id) for _ in range(listeners)]
    try:
        for sock in sockets:
            sock.get_received("/chat")  # the join notices
        for i in range(WARMUP):
            poster.post_chat(room_id, f"warm-up {i}")
        seconds = []
        for i in range(posts):
            start = time.perf_counter()
            response = poster.post_chat(room_id, f"message {i}")
            seconds.append(time.perf_counter() - start)
            if response.status_code != 201:
                raise RuntimeError(f"post answered {response.status_code}: {response.text}")
        for sock in sockets:
            got = sum(1 for event in sock.get_received("/chat") if event["name"] == "chat")
            if got != WARMUP + posts:
                raise RuntimeError(f"a listener received {got} of {WARMUP + posts} messages")
        return seconds
    finally:
        for sock in [own, *sockets]:
            sock.disconnect(namespace="/chat")


# (label, listeners, configuration on top of CONFIG); the first is the baseline. The last row
# is a what-if: the same as the baseline without rewriting the session file on every request.
CASES = (
    ("0 listeners", 0, {}),
    ("50 listeners", 50, {}),
    ("0, SESSION_REFRESH_EACH_REQUEST=True", 0, {"SESSION_REFRESH_EACH_REQUEST": True}),
)


def _app(folder: Path, extra: dict):
    # EXIT_DEBOUNCE_SECONDS=0: exits are final at once, so none outlives its case's folder.
    # One poster sends hundreds of messages back to back, far past the chat rate limit.
    return embedded_app(
        folder,
        ROOM_EMPTY_GRACE_SECONDS=3600,
        EXIT_DEBOUNCE_SECONDS=0,
        RATELIMIT_ENABLED=False,
        **extra,
    )


def run(quick: bool = False) -> None:
    posts = QUICK_POSTS if quick else POSTS
    results = []
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        for i, (label, listeners, extra) in enumerate(CASES):
            folder = Path(tmp, str(i))
            app = _app(folder, extra)  # a fresh app and database for each case
            try:
                results.append((label, _measure(app, Visitor(app), listeners, posts)))
            finally:
                app.extensions["store"].close()
    base = statistics.fmean(results[0][1])
    table(
        ["case", "posts", "msgs/s", "mean ms", "p50 ms", "p95 ms", "x baseline"],
        [
            [
                label,
                len(s),
                f"{len(s) / sum(s):,.0f}",
                f"{statistics.fmean(s) * 1e3:.2f}",
                f"{percentile(s, 50) * 1e3:.2f}",
                f"{percentile(s, 95) * 1e3:.2f}",
                ratio(statistics.fmean(s), base),
            ]
            for label, s in results
        ],
        title="POST /room/<id>/chat, one poster, sequential (baseline: 0 listeners;"
        " x baseline = mean time per post)",
    )
    per_listener = (statistics.fmean(results[1][1]) - base) / CASES[1][1] * 1e6
    print(f"each listener adds {per_listener:.0f} µs to a post (test-client delivery included)")
