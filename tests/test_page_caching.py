"""What pages make once per language: each template's translations, and the scripts' blocks."""

import re

import pytest
from jinja2 import DictLoader, Environment

from app.web.i18n import TranslatedLiterals

from .pages import page_data

KOREAN = {"lobby": "채팅방 목록", "title": "GIF 채팅방", "typing": "%(who)s님이 입력 중…"}
ENGLISH = {"lobby": "Chat rooms", "title": "GIF chat", "typing": "%(who)s is typing…"}


def page_in(client, path, language=None):
    headers = {"Accept-Language": language} if language else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def test_each_language_gets_its_own_pages_in_one_process(app, visitor):
    room_id = visitor().create_room("talk")
    # English first, then Korean, then English again: no language's copy leaks into another's.
    for language, words in [("en", ENGLISH), ("ko", KOREAN), ("en", ENGLISH), (None, KOREAN)]:
        client = app.test_client()
        lobby = page_in(client, "/", language)
        assert f"<title>{words['title']}</title>" in lobby
        assert words["lobby"] in lobby
        room = page_in(client, f"/room/{room_id}", language)
        assert f"<title>talk · {words['title']}</title>" in room
        strings = page_data(room, "room-config")["strings"]
        assert strings["typingOne"] == words["typing"]
        assert page_data(room, "page-config")["lang"] == (language or "ko")
    assert len(app.jinja_env.languages) == 2  # one copy of the templates per language


def test_a_visitor_switching_language_gets_the_other_pages_at_once(visitor):
    person = visitor()
    room_id = person.create_room("talk")
    assert KOREAN["typing"] == typing_string(person.enter(room_id).text)
    person.choose_english()
    page = person.enter(room_id).text
    assert '<html lang="en" ' in page and ENGLISH["typing"] == typing_string(page)


def typing_string(page):
    return page_data(page, "room-config")["strings"]["typingOne"]


@pytest.fixture
def two_reactions(config):
    """Reactions other than the defaults, set before the app is built."""
    config["REACTIONS"] = ["👍", "🎉"]


def test_the_room_block_holds_the_configured_reactions(two_reactions, visitor):
    person = visitor()
    room_config = page_data(person.enter(person.create_room()).text, "room-config")
    assert room_config["reactions"] == ["👍", "🎉"]
    assert room_config["strings"]["reactWith"] == "%(emoji)s, %(count)s명"


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_a_theme_change_shows_on_the_next_page(app, language, theme):
    client = app.test_client()
    page = page_in(client, "/", language)
    assert 'data-theme="system"' in page
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/theme", data={"theme": theme, "next": "/", "csrf_token": token})
    page = page_in(client, "/", language)
    assert f'<html lang="{language}" data-theme="{theme}">' in page
    pressed = re.findall(r'name="theme" value="(\w+)"\s+aria-pressed="true"', page)
    assert pressed == [theme]


class Catalog:
    """A catalog with strings that need care: markup, a literal %, a placeholder."""

    STRINGS = {
        "plain": "평문",
        "markup": "<b>굵게</b> & 'quoted'",
        "percent": "100%% 완료",
        "named": "%(who)s 님",
        "broken": "100% 완료",
    }

    def ugettext(self, text):
        return self.STRINGS.get(text, text)

    gettext = ugettext

    def ungettext(self, singular, plural, n):
        return singular if n == 1 else plural

    ngettext = ungettext


TEMPLATES = [
    '{{ _("plain") }}',
    '<a title="{{ _("markup") }}">{{ _("markup") }}</a>',
    '{{ _("percent") }}',
    '{{ _("named", who="<i>") }}',
    '{{ _("untranslated") }} {{ _("plain")|upper }} {{ _("plain") ~ "<" }}',
    '{{ {"a": _("markup"), "b": [_("plain")]}|tojson }}',
    '{% set x = _("plain") %}{{ x }}{{ x|length }}',
    '{% macro m(t=_("markup")) %}{{ t }}{% endmacro %}{{ m() }}',
    "{{ _ (\"plain\") }}{{ _('plain') }}",
]


def environment(folded: bool) -> Environment:
    extensions = ["jinja2.ext.i18n"] + ([TranslatedLiterals] if folded else [])
    env = Environment(
        loader=DictLoader({f"t{i}.html": t for i, t in enumerate(TEMPLATES)}),
        autoescape=True,
        extensions=extensions,
    )
    env.translations = Catalog() if folded else None
    env.install_gettext_translations(Catalog(), newstyle=True)
    return env


@pytest.mark.parametrize("index", range(len(TEMPLATES)))
def test_a_translation_compiled_in_renders_as_the_call_would(index):
    name = f"t{index}.html"
    assert environment(True).get_template(name).render() == (
        environment(False).get_template(name).render()
    )


def test_a_call_that_fails_at_run_time_still_fails_there():
    for folded in (True, False):
        template = environment(folded).from_string('{{ _("broken") }}')
        with pytest.raises(ValueError):
            template.render()


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("markup") }}{{ _("markup")|escape }}',
        '{% autoescape false %}{{ _("markup") }}{% endautoescape %}{{ _("markup")|escape }}',
    ],
)
@pytest.mark.parametrize("autoescape", [True, False])
def test_templates_not_escaped_throughout_are_left_to_gettext(source, autoescape):
    rendered = []
    for folded in (True, False):
        env = environment(folded)
        env.autoescape = autoescape
        rendered.append(env.from_string(source).render())
    assert rendered[0] == rendered[1]


def test_a_literal_call_is_compiled_in_and_a_call_with_arguments_is_not():
    code = environment(True).compile('{{ _("plain") }}|{{ _("named", who="x") }}', raw=True)
    assert "평문" in code and "'named'" in code and "'plain'" not in code
