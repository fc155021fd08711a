"""The real server in a subprocess (gunicorn, or `python wsgi.py`, on eventlet or gevent), and
people who use it like browsers."""

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import engineio.payload
import requests
import socketio

from .gifs import gif

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 20  # seconds for gunicorn to answer GET /
STOP_TIMEOUT = 10  # seconds for a graceful stop before SIGKILL
WAIT = 5  # default bound on waiting for one socket event

# A long-poll answer carries every packet queued since the last one: 20 quick messages can
# come as one. Browsers decode any number; python-engineio's client refuses more than 16 and
# drops the connection ("Unexpected packet from server"). Its maintainer's advice for clients
# is to raise this public class attribute; these clients stand in for browsers.
engineio.payload.Payload.max_decode_packets = 1000


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, as /proc lists them now."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended while we looked
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn_options() -> list[str]:
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:  # gunicorn's own error, in the server's stderr, says it better
        return []

    # gunicorn 25 opens a control socket at ~/.gunicorn/gunicorn.ctl, shared by every
    # gunicorn of this user: a test server must not take over a developer's server's socket.
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


class LiveServer:
    """`gunicorn -c gunicorn.conf.py wsgi:app` on a free port, with its data in `folder`, on
    the event loop `mode` names (the worker follows it, as in production)."""

    mode = "eventlet"  # the design's default; running(..., mode=...) or a subclass changes it

    def __init__(self, folder: Path, grace_seconds: float):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.grace_seconds = grace_seconds
        self.process = None
        self._out = self._err = None

    def environment(self) -> dict:
        # Nothing from the caller's GIFCHAT_* settings (a MONGO_URI, say) leaks in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIFCHAT_")}
        settings = {
            "SECRET_KEY": "live server test secret",
            "SQLITE_PATH": str(self.folder / "gifchat.sqlite3"),
            "UPLOAD_FOLDER": str(self.folder / "uploads"),
            "ROOM_EMPTY_GRACE_SECONDS": self.grace_seconds,
            # Hand-overs as soon as rooms go, as the tests of both were written for one setting.
            "OWNER_HANDOVER_SECONDS": self.grace_seconds,
            "RATELIMIT_ENABLED": False,  # tests act faster than people; test_limits_* turn it on
            "NOTICE_FOLD_SECONDS": 0,  # every join and exit announced, as tests expect
        }
        env.update({f"GIFCHAT_{key}": json.dumps(value) for key, value in settings.items()})
        env["GIFCHAT_BIND"] = f"127.0.0.1:{self.port}"  # read by gunicorn.conf.py, not JSON
        env["GIFCHAT_ASYNC_MODE"] = self.mode  # read by wsgi.py and gunicorn.conf.py too
        # Session files and the secret key in the test's folder, not the project's instance/.
        env["GIFCHAT_INSTANCE_PATH"] = str(self.folder / "instance")
        env["GIFCHAT_MAX_CONNECTIONS"] = "100"
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self) -> list[str]:
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        return [*gunicorn, *_gunicorn_options(), "wsgi:app"]

    def start(self) -> None:
        """Start command() and wait until GET / answers; raise with its stderr if it does not."""
        self._out = open(self.folder / "stdout.log", "wb")  # closed in stop()
        self._err = open(self.folder / "stderr.log", "wb")
        self.process = subprocess.Popen(
            self.command(),
            cwd=PROJECT_ROOT,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            # Its own process group, so stop() reaches gunicorn's workers or the reloader's child.
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        with requests.Session() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"exited with {self.process.returncode}:\n{self.stderr()}")
                try:
                    if http.get(self.url + "/", timeout=WAIT).status_code == 200:
                        return
                # Not listening yet, or too busy to answer (or a reloader's child not yet serving).
                except requests.RequestException:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"no answer within {START_TIMEOUT}s:\n{self.stderr()}")

    def stop(self) -> None:
        """Stop the whole process group: gracefully, then by force."""
        if self.process is not None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT)
            self._signal(signal.SIGKILL)  # any worker the master left behind
        for log in (self._out, self._err):
            if log is not None:
                log.close()

    def worker_pid(self) -> int:
        """The worker: the gunicorn master's only child (waited for up to WAIT s)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            found = children(self.process.pid)
            if found:
                return found[0]
            time.sleep(0.1)
        raise RuntimeError("no gunicorn worker found")

    def _signal(self, signum) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def stderr(self, since: int = 0) -> str:
        """What the server wrote to stderr, from byte offset `since` on."""
        with open(self.folder / "stderr.log", "rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace")

    def stderr_size(self) -> int:
        return (self.folder / "stderr.log").stat().st_size

    def assert_healthy(self, since: int = 0) -> None:
        """Still running, and no traceback logged since byte `since` of its stderr."""
        assert self.process.poll() is None, f"the server died:\n{self.stderr()}"
        # Background work (grace timers, hand-overs) has nobody to answer: failures only show here.
        log = self.stderr(since=since)
        assert "Traceback" not in log, f"the server logged an error:\n{log}"


class WsgiServer(LiveServer):
    """`python wsgi.py`, which `make run` starts: the loop's own WSGI server on GIFCHAT_PORT."""

    def command(self) -> list[str]:
        return [sys.executable, "wsgi.py"]

    def environment(self) -> dict:
        env = super().environment()
        del env["GIFCHAT_BIND"]
        env["GIFCHAT_PORT"] = str(self.port)
        return env


@contextmanager
def running(folder: Path, grace_seconds: float, server_class=LiveServer, mode=None, **options):
    """A started server for a fixture to yield; the test fails, not errors, if it won't start.

    `mode`, if given, is the GIFCHAT_ASYNC_MODE it runs on (fixtures pass the `async_mode`
    fixture's, to run their tests on each loop)."""
    import pytest

    live = server_class(folder, grace_seconds, **options)
    if mode is not None:
        live.mode = mode
    try:
        try:
            live.start()
        except RuntimeError as error:
            pytest.fail(f"the server did not start: {error}", pytrace=False)
        yield live
    finally:
        live.stop()


class Refused(socketio.exceptions.ConnectionError):
    """The server refused to connect a namespace; `reason` is what it said."""

    def __init__(self, namespace: str, reason):
        super().__init__(f"{namespace} refused: {reason}")
        self.reason = reason


class Socket:
    """A python-socketio client that records every event it receives."""

    def __init__(
        self,
        url: str,
        cookie: str | None,
        namespace: str,
        transport: str,
        origin: str | None = None,
    ):
        self.namespace = namespace
        self._events: queue.Queue = queue.Queue()
        self._seen: list[tuple[str, object]] = []
        self._http = requests.Session()  # ours, so it is closed, not left to the collector
        self.client = socketio.Client(
            reconnection=False,
            http_session=self._http,
            # websocket-client writes its own Origin header; this replaces it.
            websocket_extra_options={"origin": origin} if origin else {},
        )
        self.client.on("*", self._record, namespace=namespace)
        answer: queue.Queue = queue.Queue()
        self.client.on("connect", lambda: answer.put(None), namespace=namespace)
        self.client.on(
            "connect_error",
            lambda reason=None: answer.put(Refused(namespace, reason)),
            namespace=namespace,
        )
        headers = {}
        if cookie:
            headers["Cookie"] = cookie
        if origin and transport == "polling":
            headers["Origin"] = origin
        try:
            # A refused Engine.IO handshake raises here. The namespace's answer is awaited
            # below rather than by connect(wait=True), which on a refusal disconnects through
            # the race that close() works around.
            self.client.connect(
                url, headers=headers, namespaces=[namespace], transports=[transport], wait=False
            )
            try:
                refusal = answer.get(timeout=WAIT)
            except queue.Empty:
                refusal = socketio.exceptions.ConnectionError(f"{namespace}: no answer in {WAIT}s")
            if refusal is not None:
                raise refusal
        except BaseException:
            self.close()
            raise

    def _record(self, event, *args):
        self._events.put((event, args[0] if len(args) == 1 else args))

    def call(self, event, *args):
        return self.client.call(event, *args, namespace=self.namespace, timeout=WAIT)

    def wait_for(self, event: str, match=lambda data: True, timeout: float = WAIT):
        """The first `event` whose data satisfies `match`, waiting at most `timeout` seconds."""
        for seen_event, data in self._seen:
            if seen_event == event and match(data):
                self._seen.remove((seen_event, data))
                return data
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                seen_event, data = self._events.get(timeout=remaining)
            except queue.Empty:
                break
            if seen_event == event and match(data):
                return data
            self._seen.append((seen_event, data))
        raise AssertionError(
            f"no matching {event!r} on {self.namespace} within {timeout}s; "
            f"received {self.received()}"
        )

    def received(self) -> list[tuple[str, object]]:
        """Every event received and not yet taken by wait_for."""
        while True:
            try:
                self._seen.append(self._events.get_nowait())
            except queue.Empty:
                return list(self._seen)

    def close(self) -> None:
        eio = self.client.eio
        if eio.state == "connected" and eio.current_transport == "polling":
            # python-engineio's Client.disconnect() races its own write loop under
            # long-polling: while the loop is still posting an earlier packet (the namespace
            # connect, an event), disconnect() queues DISCONNECT and CLOSE, marks the client
            # "disconnecting", and the loop then exits without sending them. The server hears
            # nothing until its ping (25 s) and the call blocks that long. So: let the loop
            # go idle, then close the Engine.IO session alone, as a closing tab does.
            deadline = time.monotonic() + WAIT
            while eio.queue.unfinished_tasks and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.05)  # from its last task_done() back to waiting on the queue
            eio.disconnect()
        self.client.shutdown()
        self._http.close()


class Person:
    """One visitor with their own browser: a cookie jar, a color, a CSRF token, sockets."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.http = requests.Session()
        self.sockets: list[Socket] = []
        self.visit("/")

    def get(self, path, **kwargs):
        return self.http.get(self.server.url + path, timeout=WAIT, **kwargs)

    def visit(self, path: str) -> requests.Response:
        """Load a page, and keep the color and CSRF token it carries."""
        page = self.get(path)
        assert page.status_code == 200, (page.status_code, page.text)
        self.color = re.search(r'<body data-me="([^"]*)"', page.text).group(1)
        self.handle = re.search(r'<body [^>]*data-handle="([^"]*)"', page.text).group(1)
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
        return page

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def create_room(self, title="room", max=10, password="") -> str:
        response = self.http.post(
            self.server.url + "/room",
            data={"title": title, "max": max, "password": password, "csrf_token": self.csrf},
            allow_redirects=False,
            timeout=WAIT,
        )
        assert response.status_code == 302, (response.status_code, response.text)
        location = response.headers["Location"]
        assert re.fullmatch(r"(.*)?/room/[0-9a-f]{24}", location), location
        return location.rsplit("/", 1)[1]

    def post_chat(self, room_id: str, text: str) -> requests.Response:
        return self.http.post(
            f"{self.server.url}/room/{room_id}/chat",
            json={"chat": text},
            headers={"X-CSRFToken": self.csrf},
            timeout=WAIT,
        )

    def post_gif(self, room_id: str, data: bytes, timeout: float = WAIT) -> requests.Response:
        """Upload a GIF as the page does; heavy ones want a longer `timeout` to be checked."""
        return self.http.post(
            f"{self.server.url}/room/{room_id}/gif",
            files={"gif": ("a.gif", data, "image/gif")},
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
            timeout=timeout,
        )

    def socket(self, namespace: str, transport: str, **kwargs) -> Socket:
        sock = Socket(self.server.url, self.cookie, namespace, transport, **kwargs)
        self.sockets.append(sock)
        return sock

    def join(self, room_id: str, transport: str) -> Socket:
        """Open the room's page and join its feed, as the browser does."""
        page = self.visit(f"/room/{room_id}")
        assert page.url == f"{self.server.url}/room/{room_id}", f"sent to {page.url} instead"
        sock = self.socket("/chat", transport)
        ack = sock.call("join", room_id)
        assert isinstance(ack, dict) and ack.get("ok") is True, ack
        return sock

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.http.close()


class People:
    """A factory of people on one server; closes all of them at the end."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.made: list[Person] = []

    def __call__(self) -> Person:
        person = Person(self.server)
        self.made.append(person)
        return person

    def close(self) -> None:
        for person in self.made:
            person.close()


def chat_both_ways_and_share_a_gif(room_id: str, alice: Person, a: Socket, bob: Person, b: Socket):
    """Alice and Bob, in the room with sockets a and b, chat both ways; Bob's GIF reaches Alice."""
    response = bob.post_chat(room_id, "hi alice")
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["chat"] == "hi alice" and sent["user"] == bob.color and sent["room"] == room_id
    assert a.wait_for("chat", lambda chat: chat["_id"] == sent["_id"]) == sent
    assert b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"]) == sent

    response = alice.post_chat(room_id, "hi bob")
    assert response.status_code == 201, response.text
    reply = response.json()
    assert b.wait_for("chat", lambda chat: chat["_id"] == reply["_id"]) == reply

    picture = gif(8, 8, frames=2)
    response = bob.post_gif(room_id, picture)
    assert response.status_code == 201, response.text
    shared = response.json()
    assert "chat" not in shared
    assert a.wait_for("chat", lambda chat: chat.get("gif") == shared["gif"]) == shared
    served = alice.get(f"/gif/{shared['gif']}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/gif"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.content == picture
