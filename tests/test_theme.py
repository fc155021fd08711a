"""The theme: light, dark or the system's, chosen in the header and kept in the session."""

import re

import pytest


def theme_of(page: str) -> str:
    """The theme the server rendered on <html data-theme>."""
    return re.search(r'<html[^>]* data-theme="([^"]*)"', page).group(1)


def choose(person, theme):
    return person.send("/theme", {"theme": theme})


def test_a_new_visitor_follows_the_system(visitor):
    alice = visitor()
    page = alice.client.get("/").text
    assert theme_of(page) == "system"
    assert re.search(r'value="system"\s+aria-pressed="true"', page)


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_a_chosen_theme_is_kept_and_rendered_on_every_page(visitor, theme):
    alice = visitor()
    response = choose(alice, theme)
    assert (response.status_code, response.json) == (200, {"theme": theme})
    with alice.client.session_transaction() as session:
        assert session["theme"] == theme
    room_id = alice.create_room()
    for page in (alice.client.get("/").text, alice.enter(room_id).text):
        assert theme_of(page) == theme
        assert re.search(rf'value="{theme}"\s+aria-pressed="true"', page)


def test_the_theme_is_the_visitors_own(visitor):
    alice, bob = visitor(), visitor()
    choose(alice, "dark")
    assert theme_of(bob.client.get("/").text) == "system"


def test_the_form_works_without_scripts_and_goes_back(visitor):
    alice = visitor()
    form = {"theme": "dark", "csrf_token": alice.csrf}
    response = alice.client.post("/theme", data={**form, "next": "/room"})
    assert (response.status_code, response.headers["Location"]) == (302, "/room")
    assert theme_of(alice.client.get("/").text) == "dark"
    form = {**form, "theme": "light", "next": "//evil.example"}
    response = alice.client.post("/theme", data=form)
    assert response.headers["Location"] == "/"
    assert theme_of(alice.client.get("/").text) == "light"


@pytest.mark.parametrize(
    "theme",
    [
        pytest.param("", id="empty"),
        pytest.param("Dark", id="capitalised"),
        pytest.param("blue", id="unknown"),
        pytest.param(" dark", id="padded"),
        pytest.param(1, id="number"),
        pytest.param(None, id="null"),
        pytest.param(["dark"], id="list"),
        pytest.param({"theme": "dark"}, id="object"),
    ],
)
def test_a_theme_that_is_not_one_of_the_three_is_400_and_changes_nothing(visitor, theme):
    alice = visitor()
    choose(alice, "dark")
    response = choose(alice, theme)
    assert response.status_code == 400 and response.json["error"]
    assert theme_of(alice.client.get("/").text) == "dark"


def test_a_bad_form_value_is_400_and_changes_nothing(visitor):
    alice = visitor()
    choose(alice, "light")
    response = alice.client.post("/theme", data={"theme": "x", "csrf_token": alice.csrf})
    assert response.status_code == 400
    response = alice.client.post("/theme", data={"csrf_token": alice.csrf})
    assert response.status_code == 400
    assert theme_of(alice.client.get("/").text) == "light"


@pytest.mark.parametrize("body", [["dark"], "dark", 42])
def test_a_body_that_is_not_an_object_is_400(visitor, body):
    alice = visitor()
    assert alice.send("/theme", body).status_code == 400
    assert theme_of(alice.client.get("/").text) == "system"


def test_the_refusal_says_why_in_the_visitors_language(english_first, visitor):
    alice = visitor()
    assert choose(alice, "blue").json["error"] == "Choose light, dark or system."


def test_a_theme_without_its_csrf_token_is_refused(visitor):
    alice = visitor()
    assert alice.client.post("/theme", json={"theme": "dark"}).status_code == 400
    # A form without its token goes back with the reason flashed, as every form does.
    assert alice.client.post("/theme", data={"theme": "dark"}).status_code == 302
    bad = alice.client.post("/theme", json={"theme": "dark"}, headers={"X-CSRFToken": "forged"})
    assert bad.status_code == 400
    assert theme_of(alice.client.get("/").text) == "system"
