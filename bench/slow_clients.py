"""Slow clients: how long a new visitor waits while one address holds N slow-header connections.

`python wsgi.py` (eventlet) in a subprocess, twice: with this app's bounds (connections
counted per address from accept, MAX_CONNECTIONS_PER_ADDRESS 50; the header phase
HEADER_TIMEOUT 10 s as a whole), and as the baseline with both lifted (a cap of 1,000,000
and a header time of a day: what eventlet alone does). The attack: N connections from
127.0.0.2, each sending a request line and then one header byte every 2 s, re-opened when the
server closes them, for ROUNDS rounds; a new visitor on 127.0.0.1 asks for /healthz between
rounds, and waits at most WAIT_CAP s. Printed: the visitor's waits (median and worst, or
"not served"), how many attack connections the server still held, and the server's RSS
before, at the end of the attack, and once the attack has gone.
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import table

ROOT = Path(__file__).resolve().parent.parent
ATTACK = 10_000
QUICK_ATTACK = 1_000
ROUNDS = 5
DRIP_SECONDS = 2.0
WAIT_CAP = 10.0  # seconds a visitor waits before the round counts them as not served
SETUPS = {
    "eventlet alone (no bounds)": {
        "GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
        "GIFCHAT_HEADER_TIMEOUT": "86400",
    },
    "this app (cap 50 from accept, headers 10 s)": {},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start(folder: Path, settings: dict) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIFCHAT_")}
    env.update(
        GIFCHAT_PORT=str(port),
        GIFCHAT_INSTANCE_PATH=str(folder / "instance"),
        GIFCHAT_SQLITE_PATH=str(folder / "gifchat.sqlite3"),
        GIFCHAT_UPLOAD_FOLDER=str(folder / "uploads"),
        GIFCHAT_SECRET_KEY='"bench"',
        GIFCHAT_RATELIMIT_ENABLED="false",
        **settings,
    )
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - the server's, closed with it
    process = subprocess.Popen(
        [sys.executable, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _visit(port, timeout=1.0) is not None:
            return process, port
        time.sleep(0.2)
    process.kill()
    raise RuntimeError((folder / "server.log").read_text()[-2000:])


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


def _open_slow(port: int) -> socket.socket | None:
    sock = socket.socket()
    sock.setblocking(False)
    sock.bind(("127.0.0.2", 0))
    sock.connect_ex(("127.0.0.1", port))
    return sock


def _drip(sock: socket.socket, first: bool) -> bool:
    """The request line the first time, one header byte after; False once the server closed."""
    try:
        sock.send(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " if first else b"x")
        return True
    except BlockingIOError:
        return True  # still connecting (the accept queue is full): it waits its turn
    except OSError:
        return False


def _held(port: int) -> int:
    """Connections from the attack's address the server side holds open (or queued)."""
    listing = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} and dst 127.0.0.2 )"],
        capture_output=True,
        text=True,
    )
    return len(listing.stdout.splitlines()) if listing.returncode == 0 else -1


def _attack_round(port: int, held: list, size: int) -> None:
    """One drip over every connection; closed ones re-opened."""
    for i in range(size):
        sock, started = held[i] if i < len(held) else (None, False)
        if sock is None or not _drip(sock, first=not started):
            if sock is not None:
                sock.close()
            sock = _open_slow(port)
            started = False
        else:
            started = True
        if i < len(held):
            held[i] = (sock, started)
        else:
            held.append((sock, started))


def _measure(name: str, settings: dict, size: int) -> list:
    folder = Path(tempfile.mkdtemp(prefix="gifchat-slow-"))
    process, port = _start(folder, settings)
    try:
        idle = [_visit(port) for _ in range(5)]
        before = _rss_mib(process.pid)
        held: list = []
        waits, alive = [], 0
        for _ in range(ROUNDS):
            round_started = time.monotonic()
            _attack_round(port, held, size)
            waits.append(_visit(port))
            alive = _held(port)
            time.sleep(max(0.0, DRIP_SECONDS - (time.monotonic() - round_started)))
        during = _rss_mib(process.pid)
        for sock, _started in held:
            sock.close()
        time.sleep(2)
        after_wait = _visit(port)
        after = _rss_mib(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        name,
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


def run(quick: bool = False) -> None:
    size = QUICK_ATTACK if quick else ATTACK
    print(f"{size} slow-header connections from 127.0.0.2, {ROUNDS} rounds of {DRIP_SECONDS} s")
    rows = [_measure(name, settings, size) for name, settings in SETUPS.items()]
    table(
        [
            "setup",
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
    run(quick="--quick" in sys.argv)
