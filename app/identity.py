"""The color identity of a session: its name in every page and event."""

from colorhash import ColorHash
from flask import request, session

# Files and unknown paths need no identity: a session made for them would only pile up.
_NO_SESSION = {None, "static", "chat.gif"}


def color_for(session_id: str) -> str:
    return ColorHash(session_id).hex


def ensure_color() -> None:
    """Give a new session its color; every later request reads the same one."""
    if request.endpoint not in _NO_SESSION and "color" not in session:
        session["color"] = color_for(session.sid)


def current_color() -> str | None:
    return session.get("color")


def session_key() -> str:
    """What tells two visitors apart (two tabs of one visitor share it)."""
    return session.sid
