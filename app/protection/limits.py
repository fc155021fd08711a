"""Rate limits on routes (Flask-Limiter): who may do what how often, and how long to wait.

Each limit is a setting in app/config.py (RATELIMIT_*); socket events have theirs in
app/protection/socket_limits.py, counted by the same engine in the same storage.
"""

import functools
import logging
import math
import re
import time

from flask import Flask, current_app, g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import Limiter, RequestLimit

from ..store import get_store
from .connections import key_of

log = logging.getLogger(__name__)


def client_address() -> str:
    """The client's address (an IPv6 one's network); behind proxies, the one they forwarded."""
    return key_of(request.remote_addr, current_app.config) or "unknown"


def visitor() -> str:
    """The visitor's private key; a request without a session counts against its address."""
    key = session.get("user_key")
    return f"visitor:{key}" if key else f"address:{client_address()}"


def address_and_room() -> str:
    return f"{client_address()}/{request.view_args.get('room_id')}"


def on_refusal(name: str, app: Flask | None = None) -> None:
    """Every refusal by a rate limit comes through here: logged, and counted for /metrics.

    `app` is for refusals made outside any request of the app (WSGI middleware).
    """
    log.info("rate limit %s refused a request", name)
    metrics = (app or current_app).extensions.get("metrics")  # app/ops/metrics.py
    if metrics is not None:  # an app being built counts nothing yet
        metrics.count_refusal(name)


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
    def breached(limit: RequestLimit) -> None:
        # The 429's Retry-After (app/web/errors.py), which answers after this request's limits ran.
        g.retry_after = seconds_until(limit.reset_at)
        on_refusal(name)

    return breached


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


def _free_when_off(route_limit):
    """A route's limit as a decorator that costs nothing while RATELIMIT_ENABLED is off.

    Switched off, Flask-Limiter still works out on every request that no limit applies.
    """

    def decorate(view):
        limited = route_limit(view)

        # wraps() carries the limiter's mark over: stacked limits are still checked once.
        @functools.wraps(limited)
        def checked(*args, **kwargs):
            if limiter.enabled and limiter.initialized:
                return limited(*args, **kwargs)
            return view(*args, **kwargs)

        return checked

    return decorate


# Every attempt counts, right or wrong, and counts before the password is checked: during a
# lockout the right password is refused too, and parallel guesses cannot all slip through.
password_attempts = _free_when_off(
    limiter.limit(
        _setting("RATELIMIT_PASSWORD"),
        key_func=address_and_room,
        error_message=_too_many_attempts,
        on_breach=_counted("password"),
    )
)


def _limit(setting: str, key_func, name: str, reason, **options):
    """The limit in `setting`, counted as `name`, refused with `reason` (lazy) and the wait."""
    return _free_when_off(
        limiter.limit(
            _setting(setting),
            key_func=key_func,
            error_message=_refusing(lambda: str(reason)),
            on_breach=_counted(name),
            **options,
        )
    )


chat_posts = _limit("RATELIMIT_CHAT", visitor, "chat", _l("You are sending messages too fast."))
gif_uploads = _limit("RATELIMIT_GIF", visitor, "gif", _l("You are sending GIFs too fast."))
reactions = _limit(
    "RATELIMIT_REACTION", visitor, "reaction", _l("You are reacting to messages too fast.")
)
chat_deletes = _limit(
    "RATELIMIT_DELETE", visitor, "delete", _l("You are deleting messages too fast.")
)
chat_edits = _limit("RATELIMIT_EDIT", visitor, "edit", _l("You are editing messages too fast."))
chat_per_address = _limit(
    "RATELIMIT_CHAT_PER_ADDRESS",
    client_address,
    "chat-address",
    _l("Too many messages were sent from your address."),
)
reactions_per_address = _limit(
    "RATELIMIT_REACTION_PER_ADDRESS",
    client_address,
    "reaction-address",
    _l("Too many reactions were sent from your address."),
)
deletes_per_address = _limit(
    "RATELIMIT_DELETE_PER_ADDRESS",
    client_address,
    "delete-address",
    _l("Too many messages were deleted from your address."),
)
renames = _limit("RATELIMIT_NAME", visitor, "name", _l("You are changing your name too often."))
gif_per_address = _limit(
    "RATELIMIT_GIF_PER_ADDRESS",
    client_address,
    "gif-address",
    _l("Too many GIFs were sent from your address."),
)

# Bytes are counted in blocks: a moving window keeps one entry per unit counted.
BYTES_UNIT = 64 * 1024
_SIZES = {"": 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2}
_SIZES.update({"gb": 1000**3, "gib": 1024**3})
_AMOUNT = re.compile(r"\s*(\d+)\s*([kmg]i?b|b)?\s+(per\s.*\S)\s*", re.IGNORECASE)


def in_byte_units(setting: str) -> str:
    """ "100 MiB per hour; 1 GB per day" as the limits of BYTES_UNIT blocks it allows."""
    limits = []
    for part in setting.split(";"):
        found = _AMOUNT.fullmatch(part)
        if found is None:
            raise ValueError(f"not an amount of bytes per time: {part!r}")
        amount = int(found[1]) * _SIZES[(found[2] or "").lower()]
        limits.append(f"{max(1, amount // BYTES_UNIT)} {found[3]}")
    return "; ".join(limits)


def _upload_cost() -> int:
    """The request's body in BYTES_UNIT blocks; a body of unknown length counts at the cap.

    A GIF sent again ({"reuse": name}) costs the file's size: it is copied into the room.
    """
    size = request.content_length
    if request.is_json:
        reused = request.get_json(silent=True)
        name = reused.get("reuse") if isinstance(reused, dict) else None
        media = get_store().open_media(name) if isinstance(name, str) else None
        size = media.size if media is not None else 0
    if size is None:
        size = current_app.config["MAX_CONTENT_LENGTH"] or 0
    return max(1, math.ceil(size / BYTES_UNIT))


# What one visitor may upload, so that uploads within RATELIMIT_GIF cannot fill the disk.
gif_bytes = _free_when_off(
    limiter.limit(
        lambda: in_byte_units(current_app.config["RATELIMIT_GIF_BYTES"]),
        key_func=visitor,
        cost=_upload_cost,
        error_message=_refusing(lambda: _("You are uploading too much GIF data.")),
        on_breach=_counted("gif-bytes"),
    )
)
rooms_per_visitor = _limit(
    "RATELIMIT_ROOM_PER_VISITOR",
    visitor,
    "room",
    _l("You are creating rooms too fast."),
    methods=["POST"],
)
rooms_per_address = _limit(
    "RATELIMIT_ROOM_PER_ADDRESS",
    client_address,
    "room-address",
    _l("Too many rooms were created from your address."),
    methods=["POST"],
)


def init_app(app: Flask) -> None:
    """Count in REDIS_URL's Redis when there is one (every process shares it), else in memory."""
    in_byte_units(app.config["RATELIMIT_GIF_BYTES"])  # a setting that is not one stops the start
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
        if app.config.get("REDIS_URL"):
            from ..presence.redis_client import limits_storage

            # Bounded waits: counting must not hold an answer for long in an outage.
            uri, options = limits_storage(app.config["REDIS_URL"])
            app.config["RATELIMIT_STORAGE_URI"] = uri
            app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", options)
    limiter.init_app(app)
