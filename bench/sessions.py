"""Sessions: what a request costs with 1,000 and 1,000,000 stored sessions, and the sweep.

The embedded default (SQLite, app/visitor/sqlite_sessions.py) through the Flask test client: a new
visitor (GET / without a cookie: one session written) and a returning one (GET /room with
its cookie: one session read, nothing written). The store is filled by writing its rows
directly, 1% of them expired, which the sweep then removes. For comparison, cachelib's
files (FileSystemCache, threshold=0) with the same lookups, at sizes a run can afford.
"""

import os
import random
import secrets
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from cachelib import FileSystemCache

from .embedded import embedded_app
from .report import median_us, ratio, table

SIZES = (1_000, 1_000_000)
QUICK_SIZES = (1_000, 20_000)
FILE_SIZES = (1_000, 50_000)  # a million files take 4 GiB and minutes to make and remove
QUICK_FILE_SIZES = (1_000, 10_000)
REQUESTS = 300
BUDGET = 5.0  # seconds per measured call kind
SESSION = {"_permanent": True, "color": "#bf4082", "uid": "0" * 32, "csrf_token": "1" * 40}


def _fill(app, count: int) -> tuple[float, list[str]]:
    """Write `count` sessions straight into the table, 1% expired; seconds, some live keys."""
    interface = app.session_interface
    data = interface.serializer.encode(SESSION)
    now = time.time()
    keys = sorted(interface._get_store_id(secrets.token_urlsafe(32)) for _ in range(count))
    started = time.perf_counter()
    db = sqlite3.connect(app.config["SESSION_SQLITE_PATH"])
    try:
        with db:
            db.executemany(
                "INSERT INTO sessions (id, expires, data) VALUES (?, ?, ?)",
                (
                    (key, now - 60 if i % 100 == 0 else now + 86400, data)
                    for i, key in enumerate(keys)
                ),
            )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so MiB is the table, not the log
    finally:
        db.close()
    return time.perf_counter() - started, keys[1 :: max(100, count // 1000)]


def _sqlite_row(count: int, folder: Path) -> dict:
    app = embedded_app(folder)
    try:
        interface = app.session_interface
        fill, keys = _fill(app, count)
        lifetime = app.permanent_session_lifetime
        session = interface.session_class(SESSION, sid="bench")
        read_us, _ = median_us(
            lambda: interface._retrieve_session_data(random.choice(keys)),
            times=REQUESTS,
            budget=BUDGET,
        )
        write_us, _ = median_us(
            lambda: interface._upsert_session(lifetime, session, secrets.token_urlsafe(32)),
            times=REQUESTS,
            budget=BUDGET,
        )
        returning = app.test_client()
        returning.get("/").close()
        new_us, n = median_us(
            lambda: app.test_client().get("/").close(), times=REQUESTS, budget=BUDGET
        )
        back_us, _ = median_us(
            lambda: returning.get("/room").close(), times=REQUESTS, budget=BUDGET
        )
        started = time.perf_counter()
        swept = app.session_interface.delete_expired(time.time())
        sweep = time.perf_counter() - started
        size = sum(os.path.getsize(p) for p in folder.glob("instance/sessions.sqlite3*"))
    finally:
        app.extensions["store"].close()
    return {
        "n": n,
        "read": read_us,
        "write": write_us,
        "new": new_us,
        "back": back_us,
        "fill": fill,
        "swept": swept,
        "sweep": sweep,
        "mib": size / 2**20,
    }


def _files_row(count: int, folder: Path) -> dict:
    cache = FileSystemCache(str(folder), threshold=0, mode=0o600)
    payload = cache._normalize_timeout(86400).to_bytes(4, "little")
    started = time.perf_counter()
    keys = [f"session:{secrets.token_urlsafe(32)}" for _ in range(count)]
    for key in keys:  # cachelib's own layout: a 4-byte expiry, then the pickled value
        with open(cache._get_filename(key), "wb") as f:
            f.write(payload)
            cache.serializer.dump(SESSION, f)
    fill = time.perf_counter() - started
    new_us, n = median_us(
        lambda: cache.set(f"session:{secrets.token_urlsafe(32)}", SESSION, timeout=86400),
        times=REQUESTS,
        budget=BUDGET,
    )
    read_us, _ = median_us(lambda: cache.get(random.choice(keys)), times=REQUESTS, budget=BUDGET)
    size = sum(entry.stat().st_blocks * 512 for entry in os.scandir(folder))
    started = time.perf_counter()
    shutil.rmtree(folder)
    return {
        "n": n,
        "write": new_us,
        "read": read_us,
        "fill": fill,
        "mib": size / 2**20,
        "remove": time.perf_counter() - started,
    }


def _cells(r: dict, base: dict, *keys: str) -> list[str]:
    cells = []
    for key in keys:
        cells += [f"{r[key]:.0f}", ratio(r[key], base[key])]
    return cells


def run(quick: bool = False) -> None:
    sizes = QUICK_SIZES if quick else SIZES
    file_sizes = QUICK_FILE_SIZES if quick else FILE_SIZES
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        rows = {count: _sqlite_row(count, Path(tmp, f"sqlite-{count}")) for count in sizes}
        files = {count: _files_row(count, Path(tmp, f"files-{count}")) for count in file_sizes}
    base = rows[sizes[0]]
    table(
        [
            "sessions",
            "write µs",
            "x N=1000",
            "read µs",
            "x N=1000",
            "new visitor µs",
            "x N=1000",
            "returning µs",
            "x N=1000",
            "fill s",
            "MiB",
            "swept",
            "sweep s",
        ],
        [
            [
                f"{count:,}",
                *_cells(r, base, "write", "read", "new", "back"),
                f"{r['fill']:.1f}",
                f"{r['mib']:.0f}",
                f"{r['swept']:,}",
                f"{r['sweep']:.2f}",
            ]
            for count, r in rows.items()
        ],
        title="SQLite sessions (the default): the store's write and read alone, then whole"
        " requests (GET / without a cookie writes one, GET /room with one reads one); medians",
    )
    base = files[file_sizes[0]]
    table(
        [
            "files",
            "write µs",
            "x N=1000",
            "read µs",
            "x N=1000",
            "fill s",
            "MiB on disk",
            "remove s",
        ],
        [
            [
                f"{count:,}",
                *_cells(r, base, "write", "read"),
                f"{r['fill']:.1f}",
                f"{r['mib']:.0f}",
                f"{r['remove']:.1f}",
            ]
            for count, r in files.items()
        ],
        title="For comparison: cachelib FileSystemCache(threshold=0), its set and get alone",
    )
