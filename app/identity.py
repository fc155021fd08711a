"""The color identity of a session: its name in every page and event."""

from colorhash import ColorHash
from flask import session


def color_for(session_id: str) -> str:
    return ColorHash(session_id).hex


def ensure_color() -> None:
    """Give a new session its color; every later request reads the same one."""
    if "color" not in session:
        session["color"] = color_for(session.sid)


def current_color() -> str | None:
    return session.get("color")


def session_key() -> str:
    """What tells two visitors apart (two tabs of one visitor share it)."""
    return session.sid
