"""Join and exit notices folded: a visitor who comes and goes does not fill the history.

A visitor back within NOTICE_FOLD_SECONDS of their announced exit comes back without a join
notice, and if they leave again within as long, without an exit notice either: the history
keeps the one "left" it has. Whoever stays longer is announced leaving as before. Everyone
present still sees them come and go in `members`. Marks are kept where rate limits are
counted (REDIS_URL's Redis: every process sees them), else in this process.
"""

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


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
