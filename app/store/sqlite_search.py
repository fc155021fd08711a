"""Search in a room on SQLite: an FTS5 trigram index of text messages, kept by triggers.

The trigram tokenizer indexes every three characters of a text whatever its script, so a
phrase query finds any substring of three or more characters, Korean included, in any case
(it folds case as Unicode does). Shorter queries cannot match a trigram: they scan the room's
messages newest first instead, bounded by the room and the page.
"""

import sqlite3

TRIGRAM_SINCE = (3, 34, 0)  # the SQLite release that brought the trigram tokenizer
SHORTEST_INDEXED = 3  # characters: the shortest query the trigram index can answer

# Only text messages are indexed (not GIFs, not notices); the text is read from chats itself
# (an external-content table), so the index holds no second copy of every message.
TEXT = "{row}.gif IS NULL AND {row}.user != 'system' AND {row}.chat IS NOT NULL"
INDEX = [
    "CREATE VIRTUAL TABLE chats_text USING fts5(chat, content='chats', content_rowid='rowid',"
    " tokenize='trigram')",
    "INSERT INTO chats_text (rowid, chat) SELECT rowid, chat FROM chats"
    f" WHERE {TEXT.format(row='chats')}",
]
# Triggers keep the index in the transaction of every insert, edit and deletion, a room's
# deletion included; an external-content index forgets a text only when given it again.
FORGET = "INSERT INTO chats_text (chats_text, rowid, chat) VALUES ('delete', old.rowid, old.chat);"
LEARN = "INSERT INTO chats_text (rowid, chat) VALUES (new.rowid, new.chat);"
TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS chats_text_insert AFTER INSERT ON chats"
    f" WHEN {TEXT.format(row='new')} BEGIN {LEARN} END",
    f"CREATE TRIGGER IF NOT EXISTS chats_text_delete AFTER DELETE ON chats"
    f" WHEN {TEXT.format(row='old')} BEGIN {FORGET} END",
    f"CREATE TRIGGER IF NOT EXISTS chats_text_update AFTER UPDATE OF chat ON chats"
    f" WHEN {TEXT.format(row='old')} BEGIN {FORGET} {LEARN} END",
]

VISIBLE = "(chats.recipient IS NULL OR chats.user_key = ? OR chats.to_key = ?)"
# The index gives matches newest first by rowid, so a page stops after `limit` of the room's:
# a room's rowids grow in the order of its seqs, both given in the transaction that stores a
# message (and those numbered at an upgrade are put in that order: sqlite_schema.py).
# CROSS JOIN keeps the index as the outer loop.
INDEXED = f"""
SELECT chats.* FROM chats_text CROSS JOIN chats ON chats.rowid = chats_text.rowid
WHERE chats_text MATCH ? AND chats.room = ? AND chats.seq < ? AND {VISIBLE}
ORDER BY chats_text.rowid DESC LIMIT ?
"""
# A scan of the room's (room, seq) index, newest first, until a page is found.
SCANNED = f"""
SELECT * FROM chats WHERE room = ? AND seq < ? AND {TEXT.format(row="chats")} AND {VISIBLE}
    AND {{match}} ORDER BY seq DESC LIMIT ?
"""
# LIKE ignores the case of ASCII letters only: it serves queries with no other letters that
# have a case (Korean has none); the others call Python's lower() on each text, 5x slower.
LIKE = "chat LIKE ? ESCAPE '\\'"
FOLDED = "instr(fold(chat), ?) > 0"
NEWEST = 2**63 - 1  # before_seq when none is given: older than it is every message


def fold(text):
    """Lower case as the trigram index folds it (one character to one)."""
    return None if text is None else text.lower()


def create_search_index(db: sqlite3.Connection) -> None:
    """Make the index (and fill it from the messages already there), once; then its triggers."""
    if sqlite3.sqlite_version_info < TRIGRAM_SINCE:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer for search: "
            f"{'.'.join(map(str, TRIGRAM_SINCE))} or later is needed"
        )
    found = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'chats_text'").fetchone()
    for statement in ([] if found else INDEX) + TRIGGERS:
        db.execute(statement)


def phrase(q: str) -> str:
    """q as one FTS5 phrase: its characters as they are, double quotes doubled."""
    return '"' + q.replace('"', '""') + '"'


def like_pattern(q: str) -> str:
    """A LIKE pattern for "contains q", with q's own %, _ and \\ taken literally."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_query(room_id, q, limit, before_seq, viewer_key) -> tuple[str, list]:
    """The SQL and parameters of one page of a search."""
    seq = NEWEST if before_seq is None else before_seq
    visible = [viewer_key, viewer_key]
    if len(q) >= SHORTEST_INDEXED:
        return INDEXED, [phrase(q), room_id, seq, *visible, limit]
    if q.isascii() or q.lower() == q.upper():
        return SCANNED.format(match=LIKE), [room_id, seq, *visible, like_pattern(q), limit]
    return SCANNED.format(match=FOLDED), [room_id, seq, *visible, fold(q), limit]
