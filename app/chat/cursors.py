"""Where a page of a room's messages starts: a message id, or a place (seq) in the room's order."""

import re

from flask_babel import gettext as _

from ..store import is_id
from ..web.errors import Refused

ID_CURSORS = ("before", "after")
SEQ_CURSORS = ("before_seq", "after_seq")
# At most 18 digits: any seq a room will reach, and within SQLite's and BSON's 64-bit integers.
SEQ = re.compile(r"[0-9]{1,18}")


def history_cursor(args) -> dict:
    """The one cursor of a history request's query string, checked: {"after_seq": 12}, or {}."""
    given = {name: args[name] for name in ID_CURSORS + SEQ_CURSORS if name in args}
    if len(given) > 1:
        raise Refused(_("Ask for messages before or after one message, not both."), 400)
    for name, value in given.items():
        if name in ID_CURSORS and not is_id(value):
            raise Refused(_("That is not a message id."), 400)
        if name in SEQ_CURSORS:
            if not SEQ.fullmatch(value):
                raise Refused(_("That is not a message number."), 400)
            given[name] = int(value)
    return given
