"""Join and exit notices folded: a visitor who comes and goes does not fill the history.

A visitor back within NOTICE_FOLD_SECONDS of their announced exit comes back without a join
notice, and if they leave again within as long, without an exit notice either: the history
keeps the one "left" it has. Whoever stays longer is announced leaving as before. Everyone
present still sees them come and go in `members`. Marks are kept where rate limits are
counted (REDIS_URL's Redis: every process sees them), else in this process.

A restart is not a coming and going either: whoever the history still shows in a room (their
last join, exit or removal notice there is a join from before this process started) comes back
without a join notice, if they come back within the empty-room grace of the start (their page
reconnects by itself within seconds).
"""

from datetime import timedelta

from flask import Flask, current_app
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from ..store import get_store
from ..store.models import SYSTEM, utcnow

PRESENCE_NOTICES = ("join", "exit", "kick")
# How far back into a room's history the last notice about someone is looked for: past it,
# a visitor back after a restart is announced as any other.
NOTICES_LOOKED_AT = 200


def _marks() -> MovingWindowRateLimiter | None:
    extensions = current_app.extensions
    counter = extensions.get("socket_limits")  # the rate limits' storage, when they are on
    if counter is None:
        counter = extensions.setdefault("notice_marks", MovingWindowRateLimiter(MemoryStorage()))
    return counter


def _item():
    seconds = current_app.config["NOTICE_FOLD_SECONDS"]
    return RateLimitItemPerSecond(1, seconds) if seconds > 0 else None


def _marked(what: str, room_id: str, key: str) -> bool:
    item = _item()
    return item is not None and not _marks().test(item, "notice", what, room_id, key)


def _mark(what: str, room_id: str, key: str) -> None:
    item = _item()
    if item is not None:
        marks = _marks()
        marks.clear(item, "notice", what, room_id, key)
        marks.hit(item, "notice", what, room_id, key)


def quiet_join(room_id: str, key: str) -> bool:
    """Whether this join goes unannounced: the visitor's exit was announced a moment ago."""
    if key is None or not _marked("exit", room_id, key):
        return False
    _mark("back", room_id, key)
    return True


def quiet_exit(room_id: str, key: str) -> bool:
    """Whether this exit goes unannounced: they came back quietly, a moment ago. If not, the
    exit is announced, and marked so that a quick return is quiet."""
    if key is not None and _marked("back", room_id, key):
        return True
    if key is not None:
        _mark("exit", room_id, key)
    return False


def started(app: Flask) -> None:
    """Note when this process started serving rooms: presence from before it is gone."""
    app.extensions["rooms_started"] = utcnow()


def back_after_restart(room_id: str, handle: str | None) -> bool:
    """Whether this join goes unannounced: the history shows the visitor in the room when the
    server stopped, and the server started again less than the grace ago."""
    since = current_app.extensions["rooms_started"]
    grace = timedelta(seconds=current_app.config["ROOM_EMPTY_GRACE_SECONDS"])
    if handle is None or utcnow() - since >= grace:
        return False
    last = _last_notice_about(room_id, handle)
    return last is not None and last.kind == "join" and last.created_at < since


def _last_notice_about(room_id: str, handle: str):
    """The newest join, exit or removal notice about the visitor with this handle, if recent."""
    store, before, page = get_store(), None, current_app.config["HISTORY_PAGE_SIZE"]
    for _ in range(-(-NOTICES_LOOKED_AT // page)):
        chats = store.chats(room_id, limit=page, before_seq=before)
        for chat in chats:  # newest first
            if chat.user == SYSTEM and chat.kind in PRESENCE_NOTICES and chat.handle == handle:
                return chat
        if len(chats) < page:
            return None
        before = chats[-1].seq
    return None
