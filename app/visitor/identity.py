"""The identity of a session: its color (its name), its public handle and its private key."""

import re
import secrets

from colorhash import ColorHash
from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, Namespace

# A handle is random, never derived from the user key: showing it reveals nothing private.
HANDLE = re.compile(r"[0-9a-f]{16}")


def color_for(session_id: str) -> str:
    return ColorHash(session_id).hex


def no_session(view):
    """Mark a view that needs no identity (a file, a probe): a session made for it would pile up."""
    view.no_session = True
    return view


def wants_identity() -> bool:
    """Whether this request's view needs the visitor's identity; unknown paths (404s) do not."""
    view = current_app.view_functions.get(request.endpoint)
    return view is not None and not getattr(view, "no_session", False)


def ensure_color() -> None:
    """Give a new session its color, handle and key; every later request reads the same ones."""
    if not wants_identity():
        return
    if "color" not in session:
        session["color"] = color_for(session.sid)
    if "user_key" not in session:
        # Sessions made before the key had its name keep it under "uid": it moves over.
        session["user_key"] = session.pop("uid", None) or secrets.token_hex(16)
    if "handle" not in session:
        session["handle"] = secrets.token_hex(8)


def is_new_visitor() -> bool:
    """Whether ensure_color is about to name a new session."""
    return wants_identity() and "color" not in session


def has_identity(session) -> bool:
    """Whether ensure_color named this session: only such a session is worth storing."""
    return "color" in session


def current_color() -> str | None:
    return session.get("color")


def current_handle() -> str | None:
    """The public handle: what others aim a whisper or a kick at, as colors can be shared."""
    return session.get("handle")


def current_name() -> str | None:
    """The display name the visitor chose, if any; the color stands in for it otherwise."""
    return session.get("name")


# The page's colors: the visitor's choice, or the system's (prefers-color-scheme) by default.
THEMES = ("light", "dark", "system")


def current_theme() -> str:
    """The colors the visitor chose for every page: light, dark, or (by default) the system's."""
    chosen = session.get("theme")
    return chosen if chosen in THEMES else "system"


def user_key() -> str | None:
    """What tells two visitors apart, where colors cannot: a color may be shared by two.

    Two tabs of one visitor share it. It never leaves the server.
    """
    return session.get("user_key")


def is_handle(value) -> bool:
    return isinstance(value, str) and HANDLE.fullmatch(value) is not None


class VisitorNamespace(Namespace):
    """A Socket.IO namespace for visitors who have loaded a page, and so have a color."""

    def on_connect(self, auth=None):
        if current_color() is None:
            raise ConnectionRefusedError("no session")
