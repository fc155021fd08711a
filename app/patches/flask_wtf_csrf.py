"""Flask-WTF: a CSRF token it has verified once is checked by its value, session and age alone.

Flask-WTF checks the signature (HMAC, base64, JSON) on every request: about a quarter of a
chat post's time. A token it accepted once keeps the same value and signing time, so the later
checks are the cheap ones: this session's token, the time limit, and the referrer.
"""

import hmac
import time
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_wtf import csrf as flask_wtf_csrf
from flask_wtf.csrf import CSRFError, CSRFProtect, same_origin, validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import ValidationError

from . import Patch

PATCH = Patch(__name__, "flask-wtf", "1.3")

SALT = "wtf-csrf-token"  # the salt Flask-WTF signs its tokens with (flask_wtf/csrf.py)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REMEMBERED = 4096  # tokens; one is made per page view, and forgetting one only costs a check
_verified = OrderedDict()  # token -> (secret key, session value, signed at)


def install() -> None:
    """Remember verified tokens in every CSRFProtect of this process; once."""
    if PATCH.installed:
        return
    PATCH.require(CSRFProtect, "_get_csrf_token", "protect")
    PATCH.require(flask_wtf_csrf, "validate_csrf", "generate_csrf")
    if SALT not in validate_csrf.__code__.co_consts:
        raise PATCH.outdated(f"validate_csrf no longer signs with the salt {SALT!r}")
    PATCH.wrap(CSRFProtect, "protect", _remembering)


def uninstall() -> None:
    PATCH.uninstall()
    _verified.clear()


def check_unread(token: str) -> None:
    """Check a header's token before the body is read; raise CSRFError if it fails."""
    if _still_valid(token):
        return
    try:
        validate_csrf(token)
    except ValidationError as error:
        raise CSRFError(error.args[0]) from error
    _remember(token)


def _remembering(protect):
    def remembering_protect(self, *args, **kwargs):
        token = _token(self)
        checked = request.method in current_app.config["WTF_CSRF_METHODS"]
        if checked and token is not None and _still_valid(token):
            g.csrf_valid = True
            return
        protect(self, *args, **kwargs)  # the library's checks and error answers
        if token is not None and g.get("csrf_valid"):
            _remember(token)

    return remembering_protect


def _token(protector):
    """The token Flask-WTF would check; headers are read first only when no form was sent."""
    if request.mimetype in FORM_TYPES:
        return protector._get_csrf_token()
    for header in current_app.config["WTF_CSRF_HEADERS"]:
        if token := request.headers.get(header):
            return token
    return None


def _secret_key() -> str:
    return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key


def _still_valid(token: str) -> bool:
    found = _verified.get(token)
    if found is None:
        return False
    config = current_app.config
    secret_key, value, signed_at = found
    limit = config["WTF_CSRF_TIME_LIMIT"]
    stored = session.get(config["WTF_CSRF_FIELD_NAME"])
    if (
        secret_key != _secret_key()
        or not isinstance(stored, str)
        or not hmac.compare_digest(stored, value)
        or (limit is not None and time.time() - signed_at > limit)
    ):
        return False
    if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
        return bool(request.referrer) and same_origin(request.referrer, f"https://{request.host}/")
    return True


def _remember(token: str) -> None:
    secret_key = _secret_key()
    try:
        value, signed_at = URLSafeTimedSerializer(secret_key, salt=SALT).loads(
            token, return_timestamp=True
        )
    except BadData:  # not the token the library checked: remember nothing
        return
    _verified[token] = (secret_key, value, signed_at.timestamp())
    if len(_verified) > REMEMBERED:
        _verified.popitem(last=False)
