"""Languages: chosen from the browser, switchable on every page, kept in the session."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import get_locale

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_locale() -> str:
    return str(get_locale())


@bp.post("/lang")
def language():
    """Switch the interface language and go back to the page the visitor was on."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.form.get("next", "")
    return redirect(target if is_local_path(target) else url_for("rooms.lobby"))


def is_local_path(target: str) -> bool:
    """Whether a browser sent to `target` stays on this site: never an open redirect."""
    # Browsers drop tabs and newlines from addresses ("/\t/evil" is "//evil") and read a
    # backslash as a slash ("/\\evil" is "//evil"): refuse both, and any other control character.
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and not (parts.scheme or parts.netloc)
    )


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["current_locale"] = current_locale
