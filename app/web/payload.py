"""Reading a request's fields, whether it came as JSON or as a form: the one way text comes in."""

from collections.abc import Mapping

from flask import Request as FlaskRequest
from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest


def _has_lone_surrogate(value) -> bool:
    """Whether any string in value, keys included, holds half of a UTF-16 pair."""
    pending = [value]
    while pending:  # iterative: the parsed value may be as deep as the parser allowed
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class Request(FlaskRequest):
    """The app's request: a JSON body it cannot read or store is a 400 saying why."""

    def get_json(self, force=False, silent=False, cache=True):
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            # json.loads recurses once per level: a few kilobytes of "[" exhaust the stack.
            value, problem = None, _("The request is not valid JSON.")
        else:
            # "\ud800" is valid JSON but not text: SQLite, MongoDB and UTF-8 pages refuse it.
            problem = _has_lone_surrogate(value) and _(
                "The text contains a character that is not allowed."
            )
        if not problem:
            return value
        if silent:
            return None
        raise BadRequest(problem)

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:  # not JSON at all: Flask's 415
            return super().on_json_loading_failed(e)
        raise BadRequest(_("The request is not valid JSON."))


def fields() -> Mapping:
    """The JSON object body, or the form; a JSON value that is not an object reads as empty."""
    if request.is_json:
        body = request.get_json()
        return body if isinstance(body, dict) else {}
    return request.form
