"""What every page carries for its scripts, and pages a strict Content-Security-Policy allows."""

import re
import time
from pathlib import Path
from types import SimpleNamespace

import itsdangerous.timed
import pytest

from .pages import page_data


@pytest.fixture
def small_limits(config):
    """Limits other than the defaults, set before the app is built."""
    config.update(CHAT_MAX_LENGTH=500, TITLE_MAX_LENGTH=40, GIF_MAX_BYTES=2 * 1024 * 1024)


def test_pages_carry_the_configured_limits(small_limits, visitor):
    alice = visitor()
    page = alice.enter(alice.create_room()).text
    limits = page_data(page, "page-config")["limits"]
    assert (limits["chat"], limits["title"], limits["gifBytes"]) == (500, 40, 2 * 1024 * 1024)
    assert 'maxlength="500"' not in page  # the box takes a long paste whole; the counter warns
    assert (
        page_data(page, "page-config")["strings"]["tooLarge"] == "GIF는 2MB까지 올릴 수 있습니다."
    )


def test_the_language_switch_offers_the_configured_languages(app):
    page = app.test_client().get("/").text
    offered = re.findall(r'<button type="submit" name="lang" value="(\w+)"', page)
    assert offered == app.config["LANGUAGES"] == ["ko", "en"]
    assert "한국어" in page and "English" in page


def every_page(visitor) -> dict[str, str]:
    """Each kind of page, with a whisper, a GIF-less message and a notice in its history."""
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("talk")
    alice.join(room_id)
    bob.join(room_id)
    alice.post_chat(room_id, "hello")
    alice.client.post(
        f"/room/{room_id}/chat",
        json={"chat": "psst", "to": bob.handle},
        headers={"X-CSRFToken": alice.csrf},
    )
    secret_id = alice.create_room("secret", password="pw")
    return {
        "lobby": bob.client.get("/").text,
        "create form": bob.client.get("/room").text,
        "chat": bob.client.get(f"/room/{room_id}").text,
        "password": bob.client.get(f"/room/{secret_id}").text,
        "error": bob.client.get("/nowhere").text,
    }


def test_no_page_has_inline_styles_or_scripts(visitor):
    for name, page in every_page(visitor).items():
        assert " style=" not in page, f"the {name} page has a style attribute"
        assert not re.search(r"\son[a-z]+=", page), f"the {name} page has an event attribute"
        for script in re.findall(r"<script[^>]*>", page):
            assert " src=" in script or 'type="application/json"' in script, (name, script)


def imported(module: str, static: Path) -> set[str]:
    """Every module `module` (a path under static/) imports, however indirectly."""
    found, todo = set(), [module]
    while todo:
        source = (static / todo.pop()).read_text()
        for name in re.findall(r'^import [^;]*? from "\./([\w-]+\.js)";', source, re.M | re.S):
            if f"js/{name}" not in found:
                found.add(f"js/{name}")
                todo.append(f"js/{name}")
    return found


def test_every_module_a_page_imports_is_preloaded(visitor, app):
    # Without it each import is found only once its importer has arrived: a round trip each.
    static = Path(app.static_folder)
    for name, page in every_page(visitor).items():
        preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/([^"?]+)', page))
        entries = re.findall(r'<script type="module" src="/static/([^"?]+)', page)
        for entry in entries:
            missing = imported(entry, static) - preloaded
            assert not missing, f"the {name} page does not preload {sorted(missing)} ({entry})"


def test_a_page_open_for_hours_can_still_post(visitor, monkeypatch):
    alice = visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    hours_later = time.time() + 3 * 3600
    # The clock the CSRF token's signature is checked against (itsdangerous's signer).
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: hours_later))
    assert alice.post_chat(room_id, "still here").status_code == 201
    response = alice.client.post(
        "/room", data={"title": "later", "max": 5, "csrf_token": alice.csrf}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("token", ["", "forged"])
def test_a_bad_token_is_still_refused(visitor, token):
    alice = visitor()
    room_id = alice.create_room()
    response = alice.client.post(
        f"/room/{room_id}/chat",
        json={"chat": "hi"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 400
