"""Rate limits on routes (Flask-Limiter): who may do what how often, and how long to wait.

Each limit is a setting in app/config.py (RATELIMIT_*); socket events have theirs in
app/socket_limits.py, counted by the same engine in the same storage.
"""

import logging
import math
import time

from flask import Flask, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import Limiter, RequestLimit

from .rooms.forms import PasswordForm
from .store import get_store

log = logging.getLogger(__name__)


def client_address() -> str:
    """The client's address; behind PROXY_COUNT proxies, ProxyFix has put the client's there."""
    return request.remote_addr or "unknown"


def visitor() -> str:
    """The visitor's private key; a request without a session counts against its address."""
    key = session.get("user_key")
    return f"visitor:{key}" if key else f"address:{client_address()}"


def address_and_room() -> str:
    return f"{client_address()}/{request.view_args.get('room_id')}"


def on_refusal(name: str) -> None:
    """Every refusal by a rate limit comes through here: the place to count them."""
    log.info("rate limit %s refused a request", name)


def wait_text(seconds: int) -> str:
    return ngettext(
        "Try again in %(num)d second.", "Try again in %(num)d seconds.", max(seconds, 1)
    )


def seconds_until(reset_at: float) -> int:
    """Whole seconds after which a window has freed a place: the Retry-After value."""
    # An attempt exactly a window old still counts, so the wait ends a moment after reset_at.
    return max(1, math.floor(reset_at - time.time()) + 1)


def retry_after() -> int:
    """How long the client refused in this request must wait."""
    limit = limiter.current_limit
    return seconds_until(limit.window.reset_time) if limit else 1


def _setting(name: str):
    return lambda: current_app.config[name]


def _refusing(reason):
    """The limit's refusal message, with the wait; `reason` is called in the visitor's language."""
    return lambda: f"{reason()} {wait_text(retry_after())}"


def _counted(name: str):
    def breached(_limit: RequestLimit) -> None:
        on_refusal(name)

    return breached


def _password_form_again(_limit: RequestLimit):
    """A page that asked: the password form again, with the wait as its error."""
    on_refusal("password")
    room = get_store().get_room(request.view_args.get("room_id"))
    if room is None:
        return None  # answered like any other page
    form = PasswordForm()
    form.password.errors = [_too_many_attempts()]
    return current_app.make_response((render_template("password.html", room=room, form=form), 429))


_too_many_attempts = _refusing(lambda: _("Too many password attempts."))

# Moving windows: a burst right at a window's edge cannot double the allowance.
# An unreachable Redis falls back to counting in this process's memory, and back again.
# One limiter, like the other extensions: init_app gives it the app's settings and storage.
limiter = Limiter(
    key_func=client_address,
    strategy="moving-window",
    headers_enabled=False,
    in_memory_fallback_enabled=True,
)

# Every attempt counts, right or wrong, and counts before the password is checked: during a
# lockout the right password is refused too, and parallel guesses cannot all slip through.
password_attempts = limiter.limit(
    _setting("RATELIMIT_PASSWORD"),
    key_func=address_and_room,
    error_message=_too_many_attempts,
    on_breach=_password_form_again,
)
chat_posts = limiter.limit(
    _setting("RATELIMIT_CHAT"),
    key_func=visitor,
    error_message=_refusing(lambda: _("You are sending messages too fast.")),
    on_breach=_counted("chat"),
)
gif_uploads = limiter.limit(
    _setting("RATELIMIT_GIF"),
    key_func=visitor,
    error_message=_refusing(lambda: _("You are sending GIFs too fast.")),
    on_breach=_counted("gif"),
)
chat_per_address = limiter.limit(
    _setting("RATELIMIT_CHAT_PER_ADDRESS"),
    key_func=client_address,
    error_message=_refusing(lambda: _("Too many messages were sent from your address.")),
    on_breach=_counted("chat-address"),
)
gif_per_address = limiter.limit(
    _setting("RATELIMIT_GIF_PER_ADDRESS"),
    key_func=client_address,
    error_message=_refusing(lambda: _("Too many GIFs were sent from your address.")),
    on_breach=_counted("gif-address"),
)
rooms_per_visitor = limiter.limit(
    _setting("RATELIMIT_ROOM_PER_VISITOR"),
    key_func=visitor,
    methods=["POST"],
    error_message=_refusing(lambda: _("You are creating rooms too fast.")),
    on_breach=_counted("room"),
)
rooms_per_address = limiter.limit(
    _setting("RATELIMIT_ROOM_PER_ADDRESS"),
    key_func=client_address,
    methods=["POST"],
    error_message=_refusing(lambda: _("Too many rooms were created from your address.")),
    on_breach=_counted("room-address"),
)


def init_app(app: Flask) -> None:
    """Count in REDIS_URL's Redis when there is one (every process shares it), else in memory."""
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    limiter.init_app(app)
