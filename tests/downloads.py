"""Stuck GIF downloads on a real server, and the worker's memory: for tests and bench."""

import os
import socket
from contextlib import closing
from pathlib import Path

from app.store.sqlite import SQLiteStore
from harness.live_server import WAIT, WsgiServer

MIB = 1024 * 1024


def big_gif_of(server, room_id: str, size: int = 5 * MIB) -> str:
    """A GIF of `size` bytes in the room, stored as an upload would be; its name."""
    store = SQLiteStore(server.folder / "gifchat.sqlite3", server.folder / "uploads")
    try:
        return store.save_media(room_id, b"GIF89a" + os.urandom(size - 6))
    finally:
        store.close()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def worker(server) -> int:
    return server.process.pid if isinstance(server, WsgiServer) else server.worker_pid()


def start_download(server, member, name, source) -> socket.socket:
    """Ask for the GIF and read only the first bytes of the answer, as a stuck client would."""
    sock = socket.socket()
    # A small receive window: the server cannot push the file into this side's buffers.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(WAIT * 2)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    request = (
        f"GET /gif/{name} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Cookie: {member.cookie}\r\n\r\n"
    )
    sock.sendall(request.encode())
    return sock


def status_of(sock) -> int:
    head = sock.recv(12)  # "HTTP/1.1 200": the app has answered; the rest stays unread
    return int(head.split()[1])


def answers(server, source, member, name) -> int:
    with closing(start_download(server, member, name, source)) as sock:
        return status_of(sock)
