"""Search in a room: the query checked, then one page of matches as this visitor may see them."""

from flask import current_app
from flask_babel import gettext as _

from ..store import Chat, Room, get_store
from ..visitor.identity import user_key
from ..web.errors import Refused


def search_text(args) -> str | None:
    """The `q` of a history request, trimmed and checked; None when there is none."""
    q = args.get("q")
    if q is None:
        return None
    q, longest = q.strip(), current_app.config["SEARCH_MAX_LENGTH"]
    if not 1 <= len(q) <= longest:
        raise Refused(_("Search for 1 to %(max)d characters.", max=longest), 400)
    return q


def search(room: Room, q: str, *, limit: int | None = None, **cursor) -> list[Chat]:
    """A page of the room's text messages containing q, newest first, as this visitor sees them.

    The next page is the one before the last seq (or message id) of this one.
    """
    if "after" in cursor or "after_seq" in cursor:
        raise Refused(
            _("A search goes back from the newest: ask for the page before a message."), 400
        )
    store = get_store()
    before_seq = cursor.get("before_seq")
    if "before" in cursor:
        chat = store.get_chat(cursor["before"])
        if chat is None or chat.room != room.id:
            return []  # as history answers a message that is not the room's
        before_seq = chat.seq
    limit = limit or current_app.config["HISTORY_PAGE_SIZE"]
    return store.search_chats(room.id, q, limit=limit, before_seq=before_seq, viewer_key=user_key())
