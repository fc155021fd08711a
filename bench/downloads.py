"""GIF downloads that are never read: the worker's memory before, during and after them.

Starts the real server (`gunicorn -c gunicorn.conf.py`, eventlet) twice: with GIFs read whole
into memory for each download, as before (bench/whole_read.py), and streamed as now. Each time
one visitor opens N connections from five loopback addresses (under the per-address cap), each
asking for the same 5 MiB GIF and reading only the status line; the worker's RSS is read from
/proc before, while they are held, and after they are closed.
"""

import time

from harness.live_server import LiveServer, Person
from tests.downloads import big_gif_of, rss_mib, start_download, status_of

from .report import table

DOWNLOADS, QUICK_DOWNLOADS = 240, 60
SOURCES = [f"127.0.0.{n}" for n in range(2, 7)]
SETTLE = 2  # seconds after the last close before "after" is read


class Server(LiveServer):
    def __init__(self, folder, app_module: str):
        super().__init__(folder, 3600)
        self.app_module = app_module

    def command(self) -> list[str]:
        return [*super().command()[:-1], self.app_module]

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_MAX_CONNECTIONS"] = "1000"
        return env


def measure(folder, app_module: str, downloads: int) -> list:
    server = Server(folder, app_module)
    server.start()
    try:
        member = Person(server)
        room_id = member.create_room("Downloads")
        member.visit(f"/room/{room_id}")
        name = big_gif_of(server, room_id)
        pid = server.worker_pid()
        before = rss_mib(pid)
        held = [
            start_download(server, member, name, SOURCES[n % len(SOURCES)])
            for n in range(downloads)
        ]
        statuses = {status_of(sock) for sock in held}
        during = rss_mib(pid)
        for sock in held:
            sock.close()
        member.get("/healthz")
        time.sleep(SETTLE)
        after = rss_mib(pid)
        member.close()
        return [before, during, after, statuses]
    finally:
        server.stop()


def run(quick: bool = False) -> None:
    import tempfile
    from pathlib import Path

    downloads = QUICK_DOWNLOADS if quick else DOWNLOADS
    rows = []
    modes = (("read whole (before)", "bench.whole_read:app"), ("streamed", "wsgi:app"))
    for label, module in modes:
        with tempfile.TemporaryDirectory() as folder:
            before, during, after, statuses = measure(Path(folder), module, downloads)
        rows.append(
            [label, f"{before:.0f}", f"{during:.0f}", f"{during - before:+.0f}", f"{after:.0f}"]
            + [",".join(map(str, sorted(statuses)))]
        )
    table(
        ["GET /gif (5 MiB)", "RSS before MiB", "during", "growth", "after close", "statuses"],
        rows,
        title=f"{downloads} downloads held unread, from {len(SOURCES)} addresses",
    )
