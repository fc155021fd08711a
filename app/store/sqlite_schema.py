"""The SQLite tables, and what a database made by an earlier release is given on opening."""

from .sqlite_connection import Connection
from .sqlite_search import create_search_index

# Column names stay as the first release made them: an existing database opens unchanged.
SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, max INTEGER NOT NULL,
    owner TEXT NOT NULL, password_hash TEXT, owner_key TEXT, banned TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rooms_by_created ON rooms (created_at);
CREATE TABLE IF NOT EXISTS chats (id TEXT PRIMARY KEY, room TEXT NOT NULL, user TEXT NOT NULL,
    chat TEXT, gif TEXT, kind TEXT, who TEXT, recipient TEXT, user_key TEXT, to_key TEXT,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media (name TEXT PRIMARY KEY, room TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS media_by_room ON media (room);
CREATE INDEX IF NOT EXISTS chats_gifs_by_room ON chats (room, id) WHERE gif IS NOT NULL;
CREATE INDEX IF NOT EXISTS chats_gifs_by_user ON chats (user_key, id) WHERE gif IS NOT NULL;
CREATE INDEX IF NOT EXISTS chats_by_gif ON chats (gif) WHERE gif IS NOT NULL;
CREATE TABLE IF NOT EXISTS reactions (room TEXT NOT NULL, chat TEXT NOT NULL,
    emoji TEXT NOT NULL, user_key TEXT NOT NULL, UNIQUE (chat, emoji, user_key));
CREATE INDEX IF NOT EXISTS reactions_by_room ON reactions (room);
CREATE TABLE IF NOT EXISTS room_seqs (room TEXT PRIMARY KEY, seq INTEGER NOT NULL);
"""
# Columns added since, to a database made before them too (all may be NULL).
ADDED = {
    "rooms": ["owner_name TEXT"],
    "chats": ["name TEXT", "handle TEXT", "owner INTEGER", "to_name TEXT", "to_handle TEXT"]
    + ["seq INTEGER", "edited_at TEXT", "reply_to TEXT"],
}
# Made once the columns they cover exist. Pages are read by (room, seq), which replaces the
# (room, id) index: ids from two processes in one second do not sort by time.
INDEXES = """
DROP INDEX IF EXISTS chats_by_room;
CREATE UNIQUE INDEX IF NOT EXISTS chats_by_room_seq ON chats (room, seq);
CREATE INDEX IF NOT EXISTS chats_unnumbered ON chats (id) WHERE seq IS NULL;
CREATE INDEX IF NOT EXISTS rooms_by_owner ON rooms (owner_key);
"""

# The chats stored before there was a seq (or by an earlier release since) get one: per room,
# in id order, after any the room already has. Only rows without one are touched, so opening
# the file again changes nothing.
NUMBER_CHATS = """
UPDATE chats SET seq = numbered.seq FROM (
    SELECT chats.id, coalesce(room_seqs.seq, 0)
        + row_number() OVER (PARTITION BY chats.room ORDER BY chats.id) AS seq
    FROM chats LEFT JOIN room_seqs ON room_seqs.room = chats.room
    WHERE chats.seq IS NULL) AS numbered
WHERE chats.id = numbered.id
"""
COUNT_NUMBERED = """
INSERT INTO room_seqs (room, seq) SELECT room, max(seq) FROM chats WHERE seq IS NOT NULL
    GROUP BY room
ON CONFLICT (room) DO UPDATE SET seq = max(seq, excluded.seq)
"""

# Search reads a room's matches newest first by rowid (sqlite_search.py), which must follow
# seq: true of every chat stored since (both given in one write), not of the ones numbered
# above in id order where the release before stored them out of that order (two processes,
# one second). Before the index exists, their rowids are swapped among themselves to follow
# seq, room by room; the chats keep their ids, which is what everything refers to them by.
MISPLACED = """
CREATE TEMP TABLE misplaced AS SELECT by_seq.id, by_rowid.rowid AS placed FROM
    (SELECT id, rowid, room, row_number() OVER (PARTITION BY room ORDER BY seq) AS n
        FROM chats) AS by_seq
    JOIN (SELECT rowid, room, row_number() OVER (PARTITION BY room ORDER BY rowid) AS n
        FROM chats) AS by_rowid ON by_rowid.room = by_seq.room AND by_rowid.n = by_seq.n
    WHERE by_rowid.rowid != by_seq.rowid
"""
PLACE = [
    "UPDATE chats SET rowid = -rowid WHERE id IN (SELECT id FROM temp.misplaced)",
    "UPDATE chats SET rowid = misplaced.placed FROM temp.misplaced WHERE chats.id = misplaced.id",
    "DROP TABLE temp.misplaced",
]

# The next seq of a room, taken in the transaction that stores the chat: the write lock of
# the shared file makes it atomic across processes, and the counter never goes down.
NEXT_SEQ = """
INSERT INTO room_seqs (room, seq) VALUES (?, 1)
ON CONFLICT (room) DO UPDATE SET seq = seq + 1 RETURNING seq
"""


def create_schema(connection: Connection) -> None:
    """Make the tables, then bring a database of an earlier release up to date, in one write."""
    with connection.transaction() as db:
        db.executescript(SCHEMA)  # outside a transaction of ours: executescript commits first
    with connection.transaction(write=True) as db:
        for table, columns in ADDED.items():
            present = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column.split()[0] not in present:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
        for statement in INDEXES.strip().split(";\n"):
            db.execute(statement)
        indexed = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'chats_text'").fetchone()
        if db.execute(NUMBER_CHATS).rowcount:
            db.execute(COUNT_NUMBERED)
            if not indexed:
                for statement in [MISPLACED, *PLACE]:
                    db.execute(statement)
        create_search_index(db)
