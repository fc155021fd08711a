"""Languages: chosen from the browser, switchable on every page, kept in the session."""

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
    # Only a path on this site: never an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("rooms.lobby")
    return redirect(target)


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["current_locale"] = current_locale
