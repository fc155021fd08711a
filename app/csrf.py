"""CSRF protection: Flask-WTF's, verifying each signed token once per process, not on every post."""

import hmac
import time
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect, same_origin, validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import ValidationError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REMEMBERED = 4096  # tokens; one is made per page view, and forgetting one only costs a check


class RememberingCSRFProtect(CSRFProtect):
    """Checks a token the library has verified before by its value, session and age alone."""

    # Flask-WTF checks the signature (HMAC, base64, JSON) on every request: about a quarter of a
    # chat post's time. A token it accepted once keeps the same value and signing time, so the
    # later checks are the cheap ones: this session's token, the time limit, and the referrer.

    def __init__(self, app=None):
        self._verified = OrderedDict()  # token -> (secret key, session value, signed at)
        super().__init__(app)

    def protect(self, *args, **kwargs):
        token = self._token()
        checked = request.method in current_app.config["WTF_CSRF_METHODS"]
        if checked and token is not None and self._still_valid(token):
            g.csrf_valid = True
            return
        super().protect(*args, **kwargs)  # the library's checks and error answers
        if token is not None and g.get("csrf_valid"):
            self._remember(token)

    def check_unread(self, token: str) -> None:
        """Check a header's token before the body is read; raise CSRFError if it fails."""
        if self._still_valid(token):
            return
        try:
            validate_csrf(token)
        except ValidationError as error:
            raise CSRFError(error.args[0]) from error
        self._remember(token)

    def _token(self):
        """The token Flask-WTF would check; headers are read first only when no form was sent."""
        if request.mimetype in FORM_TYPES:
            return self._get_csrf_token()
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            if token := request.headers.get(header):
                return token
        return None

    def _still_valid(self, token: str) -> bool:
        found = self._verified.get(token)
        if found is None:
            return False
        config = current_app.config
        secret_key, value, signed_at = found
        limit = config["WTF_CSRF_TIME_LIMIT"]
        stored = session.get(config["WTF_CSRF_FIELD_NAME"])
        if (
            secret_key != (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key)
            or not isinstance(stored, str)
            or not hmac.compare_digest(stored, value)
            or (limit is not None and time.time() - signed_at > limit)
        ):
            return False
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            return bool(request.referrer) and same_origin(
                request.referrer, f"https://{request.host}/"
            )
        return True

    def _remember(self, token: str) -> None:
        secret_key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        serializer = URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token")
        try:
            value, signed_at = serializer.loads(token, return_timestamp=True)
        except BadData:  # not the token the library checked: remember nothing
            return
        self._verified[token] = (secret_key, value, signed_at.timestamp())
        if len(self._verified) > REMEMBERED:
            self._verified.popitem(last=False)
