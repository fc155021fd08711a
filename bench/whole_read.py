"""The baseline of `python -m bench downloads`: gunicorn's app, with GIFs read whole as before.

`gunicorn -c gunicorn.conf.py bench.whole_read:app`. Only the benchmark starts it.
"""

# ruff: noqa: I001 - wsgi comes first, as it patches what the others import
from wsgi import app  # first: it patches the standard library before anything else loads

from flask import current_app  # noqa: E402

from app.store import get_store  # noqa: E402


def gif_read_whole(name):
    """GET /gif/<name> as it was: the whole file in memory for each download, no check."""
    media = get_store().open_media(name)
    if media is None:
        return {"error": "No such GIF."}, 404
    return current_app.response_class(media.read(), mimetype="image/gif")


app.view_functions["chat.gif"] = gif_read_whole
