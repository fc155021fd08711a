"""Languages: Korean by default, English on request, every string translated."""

import contextlib
import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app.pages import SCRIPT_STRINGS

from .pages import page_data

ROOT = Path(__file__).resolve().parent.parent


def test_korean_is_the_default(visitor):
    page = visitor().client.get("/").text
    assert '<html lang="ko" ' in page and "채팅방 목록" in page


def test_the_browser_language_is_followed(app):
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert '<html lang="en" ' in page and "Chat rooms" in page


def test_switching_language_is_remembered(visitor):
    person = visitor()
    response = person.client.post(
        "/lang", data={"lang": "en", "next": "/room", "csrf_token": person.csrf}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/room"
    assert "Create a GIF chat room" in person.client.get("/room").text
    assert "Chat rooms" in person.client.get("/", headers={"Accept-Language": "ko"}).text


HOSTILE_NEXT = [
    "https://evil.invalid/",
    "//evil.invalid",
    "///evil.invalid",
    "/\\evil.invalid",
    "\\\\evil.invalid",
    "/\t/evil.invalid",  # browsers drop the tab: //evil.invalid
    "/\n/evil.invalid",
    "/\r\nSet-Cookie: stolen=1",
    " //evil.invalid",
    "\x00//evil.invalid",
    "/\x7f/evil.invalid",
    "javascript:alert(1)",
    "evil.invalid",
    "http:/evil.invalid",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_switching_language_never_redirects_off_site(visitor, target):
    person = visitor()
    response = person.client.post(
        "/lang", data={"lang": "en", "next": target, "csrf_token": person.csrf}
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "Chat rooms" in person.client.get("/").text  # the language still switched


@pytest.mark.parametrize("target", ["/room", "/room/" + "0" * 24, "/?page=2", "/%2F%2Fnot-a-host"])
def test_switching_language_goes_back_to_a_page_of_this_site(visitor, target):
    person = visitor()
    response = person.client.post(
        "/lang", data={"lang": "en", "next": target, "csrf_token": person.csrf}
    )
    assert (response.status_code, response.headers["Location"]) == (302, target)


def test_an_unknown_language_changes_nothing(visitor):
    person = visitor()
    person.client.post("/lang", data={"lang": "xx", "next": "/", "csrf_token": person.csrf})
    assert '<html lang="ko" ' in person.client.get("/").text


def test_english_error_messages(app):
    client = app.test_client()
    response = client.get(
        "/nowhere", headers={"Accept-Language": "en", "Accept": "application/json"}
    )
    assert response.json == {"error": "No route for GET /nowhere.", "code": "not-found"}


def test_notices_keep_korean_text_whatever_the_sender_reads(visitor):
    alice, bob = visitor(), visitor()
    bob.client.post("/lang", data={"lang": "en", "next": "/", "csrf_token": bob.csrf})
    room_id = alice.create_room()
    a = alice.join(room_id)
    bob.join(room_id)
    event = a.get_received("/chat")[0]["args"][0]
    assert event["chat"] == f"{bob.color}님이 입장하셨습니다."


def test_every_korean_message_is_translated():
    with open(ROOT / "app/translations/ko/LC_MESSAGES/messages.po", "rb") as file:
        catalog = read_po(file, abort_invalid=True)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def message_ids(path) -> set:
    # A catalog merged by hand can lose a msgstr line: babel then only warns, and drops or
    # misreads the entry (the page shows English). Refused here instead.
    with open(path, "rb") as file:
        return {m.id for m in read_po(file, abort_invalid=True) if m.id}


def test_the_catalog_template_holds_every_string_in_the_code(tmp_path):
    """messages.pot is what `make translations` extracts now, not what it extracted once."""
    fresh = tmp_path / "messages.pot"
    extract = ["pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(fresh), "."]
    with contextlib.chdir(ROOT), contextlib.redirect_stderr(io.StringIO()):
        CommandLineInterface().run(extract)
    assert message_ids(fresh) == message_ids(ROOT / "app/translations/messages.pot"), (
        "app/translations/messages.pot is stale: run make translations"
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_catalogs_cover_the_template(lang):
    template = message_ids(ROOT / "app/translations/messages.pot")
    assert template <= message_ids(ROOT / f"app/translations/{lang}/LC_MESSAGES/messages.po")


@pytest.mark.parametrize(
    ("language", "offline"),
    [("ko", "연결이 끊겼습니다. 다시 연결하는 중…"), ("en", "Connection lost. Reconnecting…")],
)
def test_the_scripts_get_their_strings_from_the_catalogs(app, language, offline):
    page = app.test_client().get("/", headers={"Accept-Language": language}).text
    config = page_data(page, "page-config")
    assert config["lang"] == language and config["strings"]["offline"] == offline
    assert config["strings"].keys() >= SCRIPT_STRINGS.keys()
