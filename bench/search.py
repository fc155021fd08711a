"""Search in a room: FTS5 trigram index against a plain LIKE scan, at 100 and 1,000,000 messages.

`store.search_chats(room, q, limit=50)` (the page a visitor gets), and the next page back,
timed through the Store API in a room of N messages (plus 1,000 of other rooms), against
the same search done by a plain LIKE scan of the room, newest first, as the baseline. The
big room is stored with one executemany in a throw-away instance folder, as the store's
triggers index it. MongoDB (an escaped regex over the (room, seq) index) only when
GIFCHAT_TEST_MONGO_URI names a server to fill.
"""

import os
import random
import tempfile
import time
from functools import partial
from pathlib import Path

from app.store.base import new_id, utcnow

from .report import median_us, ratio, table

PAGE = 50
OTHER_MESSAGES = 1_000
SIZES = ((100, 1_000_000), (100, 10_000))  # (full, --quick)
READS = 200
READ_BUDGET = 3.0
INSERTS = 2_000  # messages stored one by one, each its own transaction, as posts are
WORDS = (
    "movie popcorn tonight later pizza cinema ticket coffee rain sunny seats trailer"
    " 영화 보러 갈 사람 오늘 저녁 팝콘 예매 hello world see you soon ok lol"
).split()
MONGO_URI_ENV = "GIFCHAT_TEST_MONGO_URI"


def _texts(n: int):
    """n messages of six words each and a number of their own, the same in every run."""
    rng = random.Random(20)
    for i in range(n):
        yield " ".join(rng.choice(WORDS) for _ in range(6)) + f" #{i}"


def _queries(n: int) -> list[tuple[str, str]]:
    """(what, q): a common word, a Korean phrase, one message's own number, nothing, short."""
    return [
        ("common word", "popcorn"),
        ("Korean phrase", "보러 갈"),
        ("one message", f"#{n // 2}"),
        ("no match", "zebra"),
        ("2 characters", "팝콘"),
    ]


def _fill_sqlite(store, n, room):
    created = utcnow().isoformat()
    others = [new_id() for _ in range(9)]
    rows = [(new_id(), room, "#abcdef", text, created, i + 1) for i, text in enumerate(_texts(n))]
    rows += [
        (new_id(), others[i % 9], "#abcdef", text, created, i + 1)
        for i, text in enumerate(_texts(OTHER_MESSAGES))
    ]
    with store.db.transaction(write=True) as db:
        db.executemany(
            "INSERT INTO chats (id, room, user, chat, created_at, seq) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def _like_scan(store, room, q, before_seq=None):
    """The baseline: the room's messages newest first, each text tested with LIKE."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = "SELECT * FROM chats WHERE room = ? AND seq < ? AND gif IS NULL AND user != 'system'"
    sql += " AND recipient IS NULL AND chat LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT ?"
    newest = 2**63 - 1 if before_seq is None else before_seq
    return store.db.query(sql, (room, newest, f"%{escaped}%", PAGE))


def _measure_sqlite(folder: Path, n: int) -> tuple[float, list]:
    from app.store.sqlite import SQLiteStore

    store = SQLiteStore(folder / f"search-{n}.sqlite3", folder / "uploads")
    try:
        room = new_id()
        started = time.perf_counter()
        _fill_sqlite(store, n, room)
        fill = time.perf_counter() - started
        rows = []
        for what, q in _queries(n):
            first = store.search_chats(room, q, limit=PAGE)
            if [chat.id for chat in first] != [row["id"] for row in _like_scan(store, room, q)]:
                raise RuntimeError(f"sqlite: the index and the scan disagree on {q!r}")
            before = first[-1].seq if first else None
            search_us, reads = median_us(
                lambda q=q: store.search_chats(room, q, limit=PAGE), times=READS, budget=READ_BUDGET
            )
            next_us, _ = median_us(
                lambda q=q, b=before: store.search_chats(room, q, limit=PAGE, before_seq=b),
                times=READS,
                budget=READ_BUDGET,
            )
            like_us, like_reads = median_us(
                lambda q=q: _like_scan(store, room, q), times=READS, budget=READ_BUDGET
            )
            rows.append([what, q, len(first), search_us, next_us, reads, like_us, like_reads])
        return fill, rows
    finally:
        store.close()


def _measure_mongo(uri: str, n: int) -> tuple[float, list]:
    from app.store.mongo import MongoStore

    store = MongoStore.from_uri(uri, database=f"gifchat_bench_{new_id()}")
    try:
        room, created = new_id(), utcnow()
        started = time.perf_counter()
        docs = (
            {"room": room, "user": "#abcdef", "chat": text, "createdAt": created, "seq": i + 1}
            for i, text in enumerate(_texts(n))
        )
        batch = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == 10_000:
                store._chats.insert_many(batch)
                batch = []
        if batch:
            store._chats.insert_many(batch)
        fill = time.perf_counter() - started
        rows = []
        for what, q in _queries(n):
            first = store.search_chats(room, q, limit=PAGE)
            before = first[-1].seq if first else None
            search_us, reads = median_us(
                lambda q=q: store.search_chats(room, q, limit=PAGE), times=READS, budget=READ_BUDGET
            )
            next_us, _ = median_us(
                lambda q=q, b=before: store.search_chats(room, q, limit=PAGE, before_seq=b),
                times=READS,
                budget=READ_BUDGET,
            )
            rows.append([what, q, len(first), search_us, next_us, reads])
        return fill, rows
    finally:
        store.client.drop_database(store.db.name)
        store.close()


def _add_next(store, room, texts):
    return store.add_chat(room, "#abcdef", chat=next(texts))


def _insert_cost(folder: Path) -> list:
    """store.add_chat with the index's triggers, and on a copy of the schema without them."""
    from app.store.sqlite import SQLiteStore

    texts = list(_texts(INSERTS))
    times = {}
    for indexed in (False, True):
        store = SQLiteStore(folder / f"insert-{indexed}.sqlite3", folder / "uploads")
        if not indexed:
            with store.db.transaction(write=True) as db:
                for name in ("insert", "delete", "update"):
                    db.execute(f"DROP TRIGGER chats_text_{name}")
        add = partial(_add_next, store, new_id(), iter(texts))
        times[indexed] = median_us(add, times=INSERTS, budget=10)
        store.close()
    rows = []
    for indexed, label in ((False, "without it"), (True, "with the trigram index")):
        add_us, adds = times[indexed]
        rows.append([label, f"{add_us:,.0f}", ratio(add_us, times[False][0]), adds])
    return rows


def _print_sqlite(results):
    base = {row[0]: row for row in results[0][2]}
    lines = []
    for n, _fill, rows in results:
        for what, q, found, search_us, next_us, reads, like_us, like_reads in rows:
            lines.append(
                [
                    f"{n:,}",
                    what,
                    repr(q),
                    found,
                    f"{search_us:,.0f}",
                    ratio(search_us, base[what][3]),
                ]
                + [
                    f"{next_us:,.0f}",
                    reads,
                    f"{like_us:,.0f}",
                    ratio(like_us, search_us),
                    like_reads,
                ]
            )
    headers = ["N in room", "query", "q", "found", "search µs", "x N=100", "next page µs"]
    headers += ["reads", "LIKE scan µs", "x search", "reads"]
    table(
        headers,
        lines,
        title=f"sqlite: store.search_chats(room, q, limit={PAGE}) median per read, against a"
        f" LIKE scan of the room (+{OTHER_MESSAGES:,} messages of other rooms)",
    )
    print(
        "fill (one executemany, the trigram index kept by the triggers): "
        + ", ".join(f"N={n:,} {fill:.1f} s" for n, fill, _ in results)
    )


def run(quick: bool = False) -> None:
    sizes = SIZES[1] if quick else SIZES[0]
    with tempfile.TemporaryDirectory(prefix="gifchat-bench-") as tmp:
        inserts = _insert_cost(Path(tmp))
        results = [(n, *_measure_sqlite(Path(tmp), n)) for n in sizes]
    _print_sqlite(results)
    table(
        ["store.add_chat", "µs", "x without", "adds"],
        inserts,
        title="sqlite: what the index costs each message stored (median, one transaction each)",
    )
    uri = os.environ.get(MONGO_URI_ENV)
    if not uri:
        print(f"MongoDB skipped: set {MONGO_URI_ENV} to a mongodb:// URI to measure one.")
        return
    lines = []
    for n in sizes:
        fill, rows = _measure_mongo(uri, n)
        for what, q, found, search_us, next_us, reads in rows:
            lines.append(
                [f"{n:,}", what, repr(q), found, f"{search_us:,.0f}", f"{next_us:,.0f}", reads]
            )
        print(f"MongoDB fill N={n:,}: {fill:.1f} s")
    table(
        ["N in room", "query", "q", "found", "search µs", "next page µs", "reads"],
        lines,
        title=f"MongoDB: store.search_chats(room, q, limit={PAGE}) median per read",
    )
