"""Languages: chosen from the browser, switchable on every page, kept in the session."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask.templating import Environment
from flask_babel import get_locale, get_translations
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # A session that could not be read (app.visitor.sessions) still gets an answer, in the
    # browser's language.
    chosen = None if getattr(request, "session_unreadable", False) else session.get("lang")
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


class LanguageEnvironment(Environment):
    """Flask's template environment, each template compiled once per language.

    A template's `_("literal")` calls then hold their translation as a constant: the same text
    Flask-Babel gives on every render (its catalogs never change in a running process), without
    some 80 gettext calls through Jinja and Flask-Babel for each new visitor's two pages.
    """

    translations = None  # the catalog a language's copy was compiled with; None on the root

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.languages = {}  # catalog -> that language's copy of this environment

    def get_template(self, name, parent=None, globals=None):
        copy = self._for_request()
        if copy is not self:
            return copy.get_template(name, parent, globals)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        copy = self._for_request()
        if copy is not self:
            return copy.select_template(names, parent, globals)
        return super().select_template(names, parent, globals)

    def _for_request(self):
        """The copy for this request's language; self outside a request or inside a copy."""
        if self.translations is not None or get_locale() is None:
            return self
        translations = get_translations()
        copy = self.languages.get(translations)
        if copy is None:
            copy = self.overlay(
                extensions=[TranslatedLiterals], cache_size=getattr(self.cache, "capacity", 400)
            )
            copy.translations = translations
            self.languages[translations] = copy
        return copy


class TranslatedLiterals(Extension):
    """`_("literal")`, with no arguments, compiled as its translation in the copy's language.

    What Jinja's gettext gives at run time, made once: the translation as Markup (autoescaped
    templates; all of ours) with its "%%" read as "%".
    """

    def filter_stream(self, stream):
        tokens = list(stream)
        translations = self.environment.translations
        if translations is None or not self._autoescaped(stream.name) or _toggles_escaping(tokens):
            return tokens
        out = []
        i = 0
        while i < len(tokens):
            folded = _fold(tokens, i, translations)
            if folded is None:
                out.append(tokens[i])
                i += 1
            else:
                out.extend(folded)
                i += 4
        return out

    def _autoescaped(self, name) -> bool:
        autoescape = self.environment.autoescape
        return bool(autoescape(name) if callable(autoescape) else autoescape)


def _toggles_escaping(tokens) -> bool:
    """Whether the template turns autoescaping on or off inside itself: then nothing is folded."""
    return any(
        token.type == "name" and token.value == "autoescape" and tokens[i - 1].type == "block_begin"
        for i, token in enumerate(tokens)
        if i
    )


def _fold(tokens, i, translations):
    """The tokens for ("translation"|safe) if tokens[i:i + 4] are _("literal"), else None."""
    call = tokens[i : i + 4]
    if len(call) < 4 or [t.type for t in call] != ["name", "lparen", "string", "rparen"]:
        return None
    if call[0].value != "_" or (i and tokens[i - 1].type == "dot"):
        return None
    try:
        text = str(Markup(translations.ugettext(call[2].value)) % {})
    except (KeyError, TypeError, ValueError):  # a format the call would fail on: left to it
        return None
    line = call[0].lineno
    return [
        Token(line, "lparen", "("),
        Token(line, "string", text),
        Token(line, "pipe", "|"),
        Token(line, "name", "safe"),
        Token(line, "rparen", ")"),
    ]
