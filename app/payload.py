"""Reading a request's fields, whether it came as JSON or as a form."""

from collections.abc import Mapping

from flask import request


def fields() -> Mapping:
    """The JSON object body, or the form; anything else reads as empty."""
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    return request.form
