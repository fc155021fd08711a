"""Entering a room: a history page with 100 or many more messages in the room.

Checks the design claim "entering a room costs the same with 100 or 1,000,000 messages"
(DESIGN.md, Storage): each store is filled with N messages in one room, then
`store.chats(room, limit=50)` (the page a visitor gets on entering), a `before=` page
from the middle of the room (scrolling up) and an `after=` page from there (catching up
after a reconnect) are timed through the Store API.
"""

import tempfile
import time
from pathlib import Path

from app.store.base import new_id, utcnow

from .report import median_us, ratio, table

PAGE = 50
OTHER_ROOMS = 9
OTHER_MESSAGES = 1_000  # spread over the other rooms, interleaved with the room's messages
VIEWER = "#123456"  # reads are made as a visitor, as the app makes them (whispers filtered)
SIZES = {
    "sqlite": ((100, 10_000, 200_000), (100, 1_000, 10_000)),  # (full, --quick)
    "mongomock": ((100, 1_000, 10_000), (100, 1_000)),
}
READS = 300  # reads per figure, fewer when one read is slow (READ_BUDGET seconds per figure)
READ_BUDGET = 2.0


def _messages(n: int, room: str, others: list[str]):
    """(id, room) of n messages in room and OTHER_MESSAGES in others, oldest first.

    Ids are ObjectId-shaped and strictly increasing, as ObjectIds made over time are.
    """
    total = n + OTHER_MESSAGES
    seconds = int(time.time()) - 10 * total  # the messages were written in the past
    placed = 0
    for i in range(total):
        # Bresenham-style: the other rooms' messages fall evenly among the room's.
        other = (i + 1) * OTHER_MESSAGES // total > placed
        placed += other
        yield f"{seconds + 10 * i:08x}{i:016x}", others[i % len(others)] if other else room


def _fill_sqlite(store, n, room, others):
    created = utcnow().isoformat()
    rows = (
        (cid, where, "#abcdef", f"message {i}", created, i + 1)
        for i, (cid, where) in enumerate(_messages(n, room, others))
    )
    with store.db.transaction(write=True) as db:
        # seq: one order over all rooms is an order within each (as the store's counters give).
        db.executemany(
            "INSERT INTO chats (id, room, user, chat, created_at, seq) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def _fill_mongo(store, n, room, others):
    from bson import ObjectId

    created = utcnow()
    docs = [
        {
            "_id": ObjectId(cid),
            "room": where,
            "user": "#abcdef",
            "createdAt": created,
            "chat": f"message {i}",
            "seq": i + 1,
        }
        for i, (cid, where) in enumerate(_messages(n, room, others))
    ]
    for start in range(0, len(docs), 10_000):
        store._chats.insert_many(docs[start : start + 10_000])


def _sqlite_store(folder: Path, n: int):
    from app.store.sqlite import SQLiteStore

    return SQLiteStore(folder / f"chats-{n}.sqlite3", folder / "uploads"), _fill_sqlite


def _mongomock_store(folder: Path, n: int):
    import mongomock

    from app.store.mongo import MongoStore

    store = MongoStore.from_uri(f"mongodb://localhost/bench{n}", mongomock.MongoClient)
    return store, _fill_mongo


def _query_plan(store, call) -> list[str]:
    """EXPLAIN QUERY PLAN of the SQL that call() makes the SQLite store run."""
    seen = []
    original = store.db.query

    def spy(sql, params=()):
        seen.append((sql, params))
        return original(sql, params)

    store.db.query = spy
    try:
        call()
    finally:
        del store.db.query
    plans = []
    for sql, params in seen:
        plans.extend(row["detail"] for row in original("EXPLAIN QUERY PLAN " + sql, params))
    return plans


def _measure(backend: str, folder: Path, n: int) -> tuple[list, list[str]]:
    make = _sqlite_store if backend == "sqlite" else _mongomock_store
    store, fill = make(folder, n)
    try:
        room = new_id()
        started = time.perf_counter()
        fill(store, n, room, [new_id() for _ in range(OTHER_ROOMS)])
        fill_seconds = time.perf_counter() - started
        latest = store.chats(room, limit=PAGE, viewer_key=VIEWER)
        # The middle of the room: the page just older than its n/2-th newest message.
        middle = store.chats(room, limit=n // 2, viewer_key=VIEWER)[-1].id
        page = store.chats(room, limit=PAGE, before=middle, viewer_key=VIEWER)
        newer = store.chats(room, limit=PAGE, after=middle, viewer_key=VIEWER)
        if len(latest) != PAGE or len(page) != PAGE or page[0].id >= middle:
            raise RuntimeError(f"{backend}: unexpected pages for n={n}")
        if len(newer) != min(PAGE, n // 2 - 1) or newer[0].id <= middle:
            raise RuntimeError(f"{backend}: unexpected after= page for n={n}")

        def enter():
            return store.chats(room, limit=PAGE, viewer_key=VIEWER)

        def scroll():
            return store.chats(room, limit=PAGE, before=middle, viewer_key=VIEWER)

        def catch_up():
            return store.chats(room, limit=PAGE, after=middle, viewer_key=VIEWER)

        enter_us, enter_reads = median_us(enter, times=READS, budget=READ_BUDGET)
        scroll_us, scroll_reads = median_us(scroll, times=READS, budget=READ_BUDGET)
        after_us, after_reads = median_us(catch_up, times=READS, budget=READ_BUDGET)
        plans = []
        if backend == "sqlite":
            plans = [f"latest page:  {p}" for p in _query_plan(store, enter)]
            plans += [f"before= page: {p}" for p in _query_plan(store, scroll)]
            plans += [f"after= page:  {p}" for p in _query_plan(store, catch_up)]
        row = [n, fill_seconds, enter_us, enter_reads, scroll_us, scroll_reads]
        return [*row, after_us, after_reads], plans
    finally:
        store.close()


def run(quick: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        for backend, (full, small) in SIZES.items():
            rows, plans = [], []
            for n in small if quick else full:
                row, plan = _measure(backend, Path(tmp), n)
                rows.append(row)
                plans = plan  # the largest room's plan is the one that matters
            base_enter, base_scroll, base_after = rows[0][2], rows[0][4], rows[0][6]
            table(
                [
                    "N messages in room",
                    "fill s",
                    "latest page µs",
                    "x N=100",
                    "reads",
                    "before= page µs",
                    "x N=100",
                    "reads",
                    "after= page µs",
                    "x N=100",
                    "reads",
                ],
                [
                    [
                        f"{n:,}",
                        f"{fill:.2f}",
                        f"{enter:,.0f}",
                        ratio(enter, base_enter),
                        er,
                        f"{scroll:,.0f}",
                        ratio(scroll, base_scroll),
                        sr,
                        f"{after:,.0f}",
                        ratio(after, base_after),
                        ar,
                    ]
                    for n, fill, enter, er, scroll, sr, after, ar in rows
                ],
                title=f"{backend}: store.chats(room, limit={PAGE}) median per read"
                f" (+{OTHER_MESSAGES:,} messages of {OTHER_ROOMS} other rooms in the table;"
                " baseline N=100)",
            )
            if plans:
                print(f"EXPLAIN QUERY PLAN (N={rows[-1][0]:,}):")
                for line in plans:
                    print(f"  {line}")
                print()
        print(
            "mongomock has no indexes: it filters and sorts every document in Python, so its"
            " figures\ngrow with N and say nothing about MongoDB, which uses chats_by_room_seq"
            " (room, seq)."
        )
