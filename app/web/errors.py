"""Error answers: JSON for API clients, a page or a redirect for browsers, an ack for sockets.

Routes and socket events raise `Refused`; this module alone decides how it is answered.
"""

from flask import (
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..store import StoreUnavailable

# What a refusal's code is when its cause says nothing more specific. Clients decide by the
# code, never by the message, which is translated; docs/api.md lists every code.
DEFAULT_CODES = {
    400: "invalid",
    403: "forbidden",
    404: "not-found",
    405: "not-allowed",
    413: "too-large",
    429: "rate-limited",
    503: "busy",
}


def code_for(status: int) -> str:
    """The default code of a status: a bad request's, or the server's fault's."""
    return DEFAULT_CODES.get(status) or ("invalid" if status < 500 else "server-error")


class Refused(Exception):
    """A visitor may not do what they asked: the message says why, the stable code what.

    `retry_after`, in seconds, when waiting makes it pass (Retry-After, or an ack's retryAfter).
    """

    def __init__(
        self,
        message: str,
        status: int = 403,
        code: str | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code or code_for(status)
        self.retry_after = retry_after


def json_only(view):
    """Mark a view that scripts call: its refusals are JSON whatever the client accepts."""
    view.refusals = "json"
    return view


def back_to_lobby(view):
    """Mark a page whose refusals flash their message on the way back to the lobby."""
    view.refusals = "lobby"
    return view


def own_rate_limit_page(page):
    """Mark a page that answers its own 429: page(message, **view_args), or None for the default."""

    def mark(view):
        view.rate_limit_page = page
        return view

    return mark


def wants_json() -> bool:
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def json_error(message: str, status: int, code: str | None = None):
    return jsonify(error=message, code=code or code_for(status)), status


def error_response(message: str, status: int, heading: str | None = None, code: str | None = None):
    """The error as the client wants it: JSON, or the error page with a human heading."""
    if wants_json():
        return json_error(message, status, code)
    heading = heading or _page_heading(status)
    page = render_template("error.html", heading=heading, message=message, status=status)
    return page, status


def _page_heading(status: int) -> str:
    if status == 404:
        return _("Page not found")
    if status >= 500:
        return _("Something went wrong on our side")
    return _("That did not work")


def _refused(refusal: Refused):
    response = make_response(_refusal_answer(refusal))
    wait = refusal.retry_after
    if wait:  # a limit counted outside Flask-Limiter says how long, as its refusals do
        response.headers["Retry-After"] = str(wait)
    return response


def _refusal_answer(refusal: Refused):
    view = current_app.view_functions.get(request.endpoint)
    how = getattr(view, "refusals", None)
    if how == "json":
        return json_error(refusal.message, refusal.status, refusal.code)
    if how == "lobby":
        flash(refusal.message, "error")
        return redirect(url_for("rooms.lobby"))
    return error_response(refusal.message, refusal.status, code=refusal.code)


def _http_error(error: HTTPException):
    status = error.code or 500
    if not wants_json():
        return error_response(_page_message(status), status)
    # Scripts and API clients get the plain facts, method and path included.
    if status == 404:
        message = _("No route for %(method)s %(url)s.", method=request.method, url=request.path)
    elif status == 413:
        message = _("The file is too large.")
    elif status == 405:
        message = _("%(method)s is not allowed here.", method=request.method)
    else:
        message = error.description
    return json_error(message, status)


def _page_message(status: int) -> str:
    """What a person reading the error page is told: no methods, routes or server words."""
    if status == 404:
        return _("There is no page at this address. The link may be mistyped or out of date.")
    if status == 405:
        return _("This page cannot be used that way. Go back and try again from the page.")
    if status == 413:
        return _("The file is too large.")
    if status >= 500:
        return _("Please try again in a moment.")
    return _("The request could not be handled. Please go back and try again.")


def _csrf_error(error: CSRFError):
    message = _("The form has expired or did not come from this site. Please try again.")
    if wants_json() or request.method == "DELETE":
        return json_error(message, 400, "csrf")
    flash(message, "error")
    return redirect(_back())


def _rate_limited(error: RateLimitExceeded):
    """429 with Retry-After: JSON for scripts; a page's own answer, or the message flashed back."""
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "refusals", None) == "json" or wants_json():
        response = make_response(json_error(error.description, 429))
    elif (page := _own_page(view, error.description)) is not None:
        response = make_response(page, 429)
    else:
        flash(error.description, "error")
        response = redirect(_back())
    response.headers["Retry-After"] = str(g.get("retry_after", 1))
    return response


def _own_page(view, message: str):
    page = getattr(view, "rate_limit_page", None)
    return page(message, **(request.view_args or {})) if page is not None else None


def _back() -> str:
    return request.referrer if _same_site(request.referrer) else url_for("rooms.lobby")


BUSY = "busy"  # the code of every answer given because the database or Redis is unavailable


def _store_unavailable(error: StoreUnavailable):
    # Answered, so one line without a traceback: an outage would otherwise flood the log.
    current_app.logger.warning("%s %s answered 503: %s", request.method, request.path, error)
    message = _("The service is busy. Please try again in a moment.")
    if wants_json():
        response = make_response(jsonify(error=message, code=BUSY), 503)
    elif getattr(request, "session_unreadable", False):  # the page's layout would read it
        response = make_response(message, 503, {"Content-Type": "text/plain; charset=utf-8"})
    else:
        response = make_response(error_response(message, 503))
    response.headers["Retry-After"] = "5"
    return response


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


def init_app(app) -> None:
    app.register_error_handler(Refused, _refused)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreUnavailable, _store_unavailable)


def socket_error(error: Exception) -> dict:
    """An exception in a socket handler answers the ack; it never kills the socket."""
    if isinstance(error, Refused):
        answer = {"error": error.message, "code": error.code}
        if error.retry_after:  # an ack has no header: the wait rides in the answer
            answer["retryAfter"] = error.retry_after
        return answer
    if isinstance(error, StoreUnavailable):
        return busy_ack(error)
    current_app.logger.exception("socket event failed", exc_info=error)
    return {"error": _("Something went wrong."), "code": "server-error"}


def busy_ack(error: Exception) -> dict:
    """The ack of a socket event that the database or Redis could not serve, logged once."""
    event = getattr(request, "event", None) or {}
    current_app.logger.warning("socket %s answered busy: %s", event.get("message"), error)
    return {"error": _("The service is busy. Please try again in a moment."), "code": BUSY}
