"""Slow clients: how long a new visitor waits while slow connections fill a server, per server.

Two attacks, each against `python wsgi.py` and gunicorn on eventlet and on gevent, and (full
runs) `make cluster`'s nginx in front of two gunicorn processes (deploy/cluster.py):
- headers: N connections from one address (127.0.0.2), each sending a request line and then
  one header byte every DRIP_SECONDS, re-opened when the server closes them;
- bodies: 250 addresses (127.0.1.1-250) x 42 connections (under the cap of 50 each), each
  posting the create-room form with a valid session and CSRF token, Content-Length 1000, and
  sending one body byte every DRIP_SECONDS, re-opened when the server answers or closes.
Each server runs twice: with this app's bounds (defaults: connections counted per address from
accept, MAX_CONNECTIONS_PER_ADDRESS 50, HEADER_TIMEOUT 10 s, BODY_DEADLINE 20 s) and as the
baseline with them lifted (a cap of 1,000,000 and deadlines of a day: what the server alone
does). A new visitor on 127.0.0.1 asks for /healthz after each round and waits at most
WAIT_CAP s. Printed: the visitor's waits (median and worst, or "not served"), the attack's
connections the server side holds (`ss`), and the RSS of the server's processes before, at
the end of the attack, and once it has gone.

`python -m bench.slow_clients [--quick] [--attack headers|bodies] [server ...]` runs a part.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.live_server import children

from .report import table

ROOT = Path(__file__).resolve().parent.parent
HEADERS, QUICK_HEADERS = 10_000, 1_000  # slow-header connections from one address
ADDRESSES, QUICK_ADDRESSES = 250, 25  # addresses of the slow bodies
PER_ADDRESS = 42  # slow bodies from each, under the cap of 50
ROUNDS = {"headers": 5, "bodies": 13}  # 13 rounds of 2 s: past BODY_DEADLINE (20 s)
DRIP_SECONDS = 2.0
WAIT_CAP = 10.0  # seconds a visitor waits before the round counts them as not served
LIFTED = {
    "GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
    "GIFCHAT_HEADER_TIMEOUT": "86400",
    "GIFCHAT_BODY_DEADLINE": "86400",
}
SERVERS = {
    "wsgi.py-eventlet": ("wsgi", "eventlet"),
    "wsgi.py-gevent": ("wsgi", "gevent"),
    "gunicorn-eventlet": ("gunicorn", "eventlet"),
    "gunicorn-gevent": ("gunicorn", "gevent"),
    "cluster": ("cluster", "eventlet"),
}
QUICK_SERVERS = ("wsgi.py-eventlet", "gunicorn-gevent")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mib(pid: int) -> float:
    """The RSS of pid and every process below it."""
    total, todo = 0, [pid]
    while todo:
        each = todo.pop()
        todo.extend(children(each))
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Server:
    """One server in a subprocess, on a free port, its data in `folder`."""

    def __init__(self, kind: str, mode: str, settings: dict, folder: Path):
        self.kind, self.mode, self.folder = kind, mode, folder
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIFCHAT_", "CLUSTER_"))}
        env.update(
            GIFCHAT_ASYNC_MODE=mode,
            GIFCHAT_INSTANCE_PATH=str(folder / "instance"),
            GIFCHAT_SQLITE_PATH=str(folder / "gifchat.sqlite3"),
            GIFCHAT_UPLOAD_FOLDER=str(folder / "uploads"),
            GIFCHAT_SECRET_KEY='"bench"',
            GIFCHAT_RATELIMIT_ENABLED="false",
            **settings,
        )
        self.env = env
        self.process = None

    def start(self) -> None:
        log = open(self.folder / "server.log", "wb")  # noqa: SIM115 - the server's, closed with it
        if self.kind == "cluster":
            self.env.update(
                CLUSTER_DIR=str(self.folder / "cluster"),
                CLUSTER_PORT=str(self.port),
                CLUSTER_BASE_PORT=str(_free_port()),
                CLUSTER_REDIS_PORT=str(_free_port()),
            )
            command = [sys.executable, "deploy/cluster.py", "run"]
        elif self.kind == "gunicorn":
            self.env["GIFCHAT_BIND"] = f"127.0.0.1:{self.port}"
            command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
            command += ["--no-control-socket", "wsgi:app"]
        else:
            self.env["GIFCHAT_PORT"] = str(self.port)
            command = [sys.executable, "wsgi.py"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _visit(self.port, timeout=1.0) is not None:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError((self.folder / "server.log").read_text()[-2000:])

    def stop(self) -> None:
        self.process.terminate()  # the cluster's `run` stops its parts on SIGTERM
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def rss(self) -> float:
        if self.kind != "cluster":
            return _rss_mib(self.process.pid)
        found = 0.0  # nginx daemonizes: its master is found by its pid file
        with_pid = self.folder / "cluster" / "nginx.pid"
        if with_pid.exists():
            found += _rss_mib(int(with_pid.read_text()))
        return found + _rss_mib(self.process.pid)


def _visit(port: int, timeout: float = WAIT_CAP) -> float | None:
    """Seconds for a new visitor's GET /healthz to be answered, or None if it is not."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.settimeout(max(0.1, timeout - (time.perf_counter() - started)))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if not sock.recv(64).startswith(b"HTTP/1.1 200"):
                return None
    except OSError:
        return None
    return time.perf_counter() - started


def _visitor(port: int) -> tuple[str, str]:
    """(cookie, CSRF token) of a session, as an attacker takes one from a page."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_CAP) as sock:
        sock.sendall(b"GET /room HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        page = b""
        while chunk := sock.recv(65536):
            page += chunk
    text = page.decode(errors="replace")
    cookie = re.search(r"Set-Cookie: (session=[^;]+)", text, re.IGNORECASE).group(1)
    token = re.search(r'name="csrf-token" content="([^"]+)"', text).group(1)
    return cookie, token


class Trickle:
    """A slow connection: its opening bytes once the connection is up, then one byte a drip;
    re-opened when the server closes or answers it."""

    def __init__(self, port: int, source: str, opening: bytes):
        self.port, self.source, self.opening = port, source, opening
        self.sock, self.started = None, False

    def drip(self) -> None:
        if self.sock is None:
            self._open()
            return
        try:
            if self.sock.recv(1, socket.MSG_PEEK) is not None:
                self._reopen()  # answered (data) or closed (b""): its place went back
                return
        except BlockingIOError:
            pass  # nothing said: still held
        except OSError:
            self._reopen()
            return
        try:
            self.sock.send(b"x" if self.started else self.opening)
            self.started = True
        except BlockingIOError:
            pass  # still connecting (the accept queue is full): it waits its turn
        except OSError:
            self._reopen()

    def _open(self) -> None:
        self.sock = socket.socket()
        self.sock.setblocking(False)
        self.sock.bind((self.source, 0))
        self.sock.connect_ex(("127.0.0.1", self.port))
        self.started = False

    def _reopen(self) -> None:
        self.close()
        self._open()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _attackers(attack: str, port: int, quick: bool) -> list[Trickle]:
    if attack == "headers":
        opening = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
        return [
            Trickle(port, "127.0.0.2", opening) for _ in range(QUICK_HEADERS if quick else HEADERS)
        ]
    cookie, token = _visitor(port)
    opening = (
        "POST /room HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Cookie: {cookie}\r\nX-CSRFToken: {token}\r\nContent-Length: 1000\r\n\r\ntitle="
    ).encode()
    addresses = QUICK_ADDRESSES if quick else ADDRESSES
    return [
        Trickle(port, f"127.0.1.{number}", opening)
        for number in range(1, addresses + 1)
        for _ in range(PER_ADDRESS)
    ]


def _held(port: int, attack: str) -> int:
    """Connections from the attack's addresses the server side holds open (or queued)."""
    where = "dst 127.0.0.2" if attack == "headers" else "dst 127.0.1.0/24"
    listing = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} and {where} )"],
        capture_output=True,
        text=True,
    )
    return len(listing.stdout.splitlines()) if listing.returncode == 0 else -1


def _measure(server_name: str, attack: str, bounds: bool, quick: bool) -> list:
    kind, mode = SERVERS[server_name]
    folder = Path(tempfile.mkdtemp(prefix="gifchat-slow-"))
    server = Server(kind, mode, {} if bounds else LIFTED, folder)
    server.start()
    port = server.port
    try:
        idle = [_visit(port) for _ in range(5)]
        before = server.rss()
        attackers = _attackers(attack, port, quick)
        waits, alive = [], 0
        for _ in range(ROUNDS[attack]):
            round_started = time.monotonic()
            for each in attackers:
                each.drip()
            waits.append(_visit(port))
            alive = _held(port, attack)
            time.sleep(max(0.0, DRIP_SECONDS - (time.monotonic() - round_started)))
        during = server.rss()
        for each in attackers:
            each.close()
        time.sleep(2)
        after_wait = _visit(port)
        after = server.rss()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        f"{server_name}, {'bounds on' if bounds else 'bounds off'}",
        _seconds(idle),
        _seconds(waits),
        f"{sum(w is None for w in waits)}/{len(waits)}",
        alive,
        f"{before:.0f}",
        f"{during:.0f}",
        f"{after:.0f}",
        _seconds([after_wait]),
    ]


def _seconds(waits: list) -> str:
    served = [w for w in waits if w is not None]
    if not served:
        return f"> {WAIT_CAP:.0f} s"
    text = f"{statistics.median(served) * 1000:.1f} ms"
    if len(served) > 1:
        text += f" (max {max(served) * 1000:.1f})"
    return text


def run(quick: bool = False, servers=None, attacks=("headers", "bodies")) -> None:
    servers = servers or (QUICK_SERVERS if quick else tuple(SERVERS))
    for attack in attacks:
        if attack == "headers":
            size = QUICK_HEADERS if quick else HEADERS
            title = f"{size} slow-header connections from 127.0.0.2"
        else:
            addresses = QUICK_ADDRESSES if quick else ADDRESSES
            title = f"{addresses} addresses x {PER_ADDRESS} slow bodies"
        print(f"{title}, {ROUNDS[attack]} rounds of {DRIP_SECONDS} s", flush=True)
        rows = [
            _measure(name, attack, bounds, quick) for name in servers for bounds in (False, True)
        ]
        table(
            [
                "server",
                "visitor, idle",
                "visitor, under attack",
                "not served",
                "attack held",
                "RSS MiB before",
                "during",
                "after",
                "visitor after",
            ],
            rows,
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = [name for name in arguments if name in SERVERS]
    kinds = [arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a == "--attack"]
    run(
        quick="--quick" in arguments, servers=chosen or None, attacks=kinds or ("headers", "bodies")
    )
