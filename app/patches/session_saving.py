"""Flask-Session: store a session only for a visitor, answer 503 when it cannot be stored, and
mark the cookie Secure on any request that came over HTTPS, not only when configured.

Every server-side interface (the SQLite one of app/visitor/sqlite_sessions.py, Redis, MongoDB) saves
through ServerSideSessionInterface.save_session; the change is made there, once.
"""

from flask import has_request_context, request
from flask_session.base import ServerSideSessionInterface

from . import Patch

PATCH = Patch(__name__, "flask-session", "0.8")


def install(answer_unavailable, worth_keeping, not_saved: type[Exception]) -> None:
    """Change how every server-side session interface saves; once.

    A new session is stored only when worth_keeping(session) says so; an interface that
    raises not_saved has failed to store one, and answer_unavailable(response) turns the
    response about to go out into a 503.
    """
    if PATCH.installed:
        return
    PATCH.wrap(
        ServerSideSessionInterface,
        "save_session",
        lambda save: _saving_only_what_is_needed(
            save, answer_unavailable, worth_keeping, not_saved
        ),
    )
    PATCH.wrap(ServerSideSessionInterface, "get_cookie_secure", _secure_over_https)


def uninstall() -> None:
    PATCH.uninstall()


def _saving_only_what_is_needed(save, answer_unavailable, worth_keeping, not_saved):
    def save_session(self, app, session, response) -> None:
        brought = request.cookies.get(app.config["SESSION_COOKIE_NAME"]) == session.sid
        if not brought and (response.status_code >= 400 or not worth_keeping(session)):
            # Nobody to remember: a 404, a refused request, a file, a CSRF failure.
            return
        try:
            save(self, app, session, response)
        except not_saved as error:
            # Silently dropped, the visitor would get a cookie for nothing and be refused later.
            app.logger.error("A session could not be saved: %s", error)
            answer_unavailable(response)

    return save_session


def _secure_over_https(configured):
    def get_cookie_secure(self, app) -> bool:
        return configured(self, app) or (has_request_context() and request.is_secure)

    return get_cookie_secure
