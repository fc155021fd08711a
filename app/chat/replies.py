"""Replies: a message that quotes another, and the whisper rules that keep a whisper's words
between its two people."""

from flask_babel import gettext as _

from ..store import Chat, Room
from ..visitor.identity import user_key
from ..web.errors import Refused
from .actions import find_chat

EXCERPT_LENGTH = 100  # characters of the original a reply quotes, taken when it is sent
GIF_EXCERPT = "GIF"  # what a reply to a GIF quotes; the page shows the marker in its language


def quote(room: Room, reply_to) -> tuple[dict, Chat]:
    """What a reply to the message reply_to carries, and that message: 404 unless one can see it."""
    original = find_chat(room, reply_to)
    if original.user == "system":
        raise Refused(_("Notices cannot be replied to."), 400, "notice")
    excerpt = GIF_EXCERPT if original.gif is not None else (original.chat or "")[:EXCERPT_LENGTH]
    fields = {"_id": original.id, "handle": original.handle, "name": original.name}
    return fields | {"excerpt": excerpt}, original


def addressee(original: Chat, to):
    """Whom a reply to original goes to: a reply to a whisper whispers to the same person.

    `to` is the handle the sender chose, or None for the room. A whisper's words are never
    quoted to anyone else: another addressee, or the whole room, is refused.
    """
    if not original.is_whisper:
        return to
    mine = original.user_key == user_key()
    other = original.to_handle if mine else original.handle
    if other is None or to not in (None, other):
        raise Refused(
            _("A reply to a whisper is whispered to the same person."), 400, "whisper-reply"
        )
    return other


def for_gif(room: Room, reply_to) -> dict | None:
    """The replyTo of a GIF reply, if any: GIFs go to the whole room, so never to a whisper."""
    if reply_to is None or reply_to == "":
        return None
    fields, original = quote(room, reply_to)
    if original.is_whisper:
        raise Refused(_("A whisper can be answered with text only."), 400, "whisper-reply")
    return fields
