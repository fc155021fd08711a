"""SIGTERM with many sockets open: every one is closed at once and the server exits promptly."""

import os
import queue
import signal
import subprocess
import sys
import time

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport


from harness.live_server import LiveServer, People, running  # noqa: E402

pytestmark = pytest.mark.server

CLIENTS = 100
EXIT_WITHIN = 5  # seconds: the shutdown contract, not a speed figure
GRACE = 60  # no room may vanish while the clients join


class Gunicorn(LiveServer):
    """The production server, with room for a hundred sockets and their requests."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_MAX_CONNECTIONS"] = "1000"
        env["GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS"] = "1000"  # every client is 127.0.0.1
        env["GIFCHAT_PORT"] = str(self.port)  # for wsgi.py; gunicorn reads GIFCHAT_BIND
        return env


class Script(Gunicorn):
    """`python wsgi.py`: the same app on the event loop's own WSGI server."""

    def command(self) -> list[str]:
        return [sys.executable, "wsgi.py"]


@pytest.mark.parametrize("server_class", [Gunicorn, Script], ids=["gunicorn", "wsgi.py"])
def test_sigterm_closes_every_socket_at_once_and_exits(tmp_path, server_class, async_mode):
    with running(tmp_path, GRACE, server_class, mode=async_mode) as server:
        people = People(server)
        try:
            owner = people()
            rooms = [owner.create_room(f"room {n}", max=CLIENTS // 2) for n in range(2)]
            gone: queue.Queue = queue.Queue()
            for n in range(CLIENTS):
                transport = "websocket" if n % 2 else "polling"
                sock = people().join(rooms[n % 2], transport)
                sock.client.on("disconnect", lambda *why, n=n: gone.put(n), namespace="/chat")
            assert gone.empty()

            started = time.monotonic()
            os.kill(server.process.pid, signal.SIGTERM)  # to the master, as a supervisor does
            try:
                server.process.wait(timeout=EXIT_WITHIN)
            except subprocess.TimeoutExpired:
                pytest.fail(f"still running {EXIT_WITHIN}s after SIGTERM:\n{server.stderr()}")
            print(
                f"\n{server_class.__name__} ({async_mode}):"
                f" exited {time.monotonic() - started:.2f}s after SIGTERM"
            )

            seen = set()
            deadline = time.monotonic() + EXIT_WITHIN
            while len(seen) < CLIENTS and (remaining := deadline - time.monotonic()) > 0:
                try:
                    seen.add(gone.get(timeout=remaining))
                except queue.Empty:
                    break
            assert len(seen) == CLIENTS, f"{CLIENTS - len(seen)} clients saw no disconnect"
            log = server.stderr()
            assert "Traceback" not in log, log
        finally:
            people.close()
