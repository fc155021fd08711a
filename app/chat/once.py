"""A message or GIF posted once however often it is sent: the `Idempotency-Key` of a post.

A post whose answer is lost (a dropped connection, a proxy's timeout) may have been stored.
The page sends it again with the key it gave it the first time; a key this visitor used in
this room within ONCE_SECONDS is answered with the message it stored then, and nothing is
stored twice. Keys are kept where the cluster keeps its state (REDIS_URL's Redis, so every
process knows them), else in this process.
"""

import re
from contextlib import contextmanager

from cachelib import SimpleCache
from flask import current_app, request
from flask_babel import gettext as _

from ..presence.redis_client import unavailable_on_error
from ..store import get_store
from ..visitor.identity import user_key
from ..web.errors import Refused

HEADER = "Idempotency-Key"
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
ONCE_SECONDS = 600  # longer than any page waits before it sends a message again
PENDING = ""  # claimed by a post still being stored
MAX_KEYS = 100_000  # in one process; rate limits keep far fewer alive


def init_app(app) -> None:
    client = app.extensions.get("redis")
    if client is not None:
        keys = RedisKeys(client)
    else:
        keys = SimpleCache(threshold=MAX_KEYS, default_timeout=ONCE_SECONDS)
    app.extensions["posted_once"] = keys


class RedisKeys:
    """SimpleCache's add/get/set/delete for strings, in the cluster's Redis.

    cachelib's RedisCache pickles values, which the cluster's client (it decodes every reply
    as text) cannot read back. Redis down: 503, as for every other door.
    """

    PREFIX = "gifchat:once:"

    def __init__(self, client):
        self.client = client

    @unavailable_on_error
    def add(self, key: str, value: str) -> bool:
        return bool(self.client.set(self.PREFIX + key, value, nx=True, ex=ONCE_SECONDS))

    @unavailable_on_error
    def get(self, key: str) -> str | None:
        return self.client.get(self.PREFIX + key)

    @unavailable_on_error
    def set(self, key: str, value: str) -> None:
        self.client.set(self.PREFIX + key, value, ex=ONCE_SECONDS)

    @unavailable_on_error
    def delete(self, key: str) -> None:
        self.client.delete(self.PREFIX + key)


def _key(room_id: str) -> str | None:
    given = request.headers.get(HEADER)
    if given is None:
        return None
    if not KEY.fullmatch(given):
        message = _("The Idempotency-Key header must be 8 to 64 letters, digits, - or _.")
        raise Refused(message, 400, "invalid")
    return f"{user_key()}:{room_id}:{given}"


@contextmanager
def posted_once(room_id: str):
    """Around storing a post: yields (the Chat stored before under this key, or None, and a
    function to call with the Chat stored now)."""
    keys = current_app.extensions["posted_once"]
    key = _key(room_id)
    if key is None:
        yield None, lambda chat: None
        return
    if not keys.add(key, PENDING):
        earlier = keys.get(key)
        if earlier == PENDING:
            raise Refused(_("This message is still being sent."), 409, "in-progress", 1)
        chat = get_store().get_chat(earlier) if earlier else None
        if chat is None:  # stored, then deleted: sending it again must not bring it back
            raise Refused(_("This message was sent, then deleted."), 409, "deleted")
        yield chat, lambda chat: None
        return
    stored = []
    try:
        yield None, stored.append
    finally:
        # A refused or failed post frees its key: sending it again may succeed.
        if stored:
            keys.set(key, stored[0].id)
        else:
            keys.delete(key)
