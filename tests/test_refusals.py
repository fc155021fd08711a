"""A refusal is answered the way its route's clients read it, whatever else they accept."""

import pytest


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def room(visitor):
    owner = visitor()
    return owner, owner.create_room("Room")


def test_a_view_for_scripts_answers_json_even_to_a_form(visitor, room):
    _, room_id = room
    stranger = visitor()
    response = stranger.client.post(
        f"/room/{room_id}/kick",
        data={"user": "#000000", "csrf_token": stranger.csrf},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 403
    assert response.json == {"error": "방장만 강퇴할 수 있습니다.", "code": "not-owner"}


def test_the_room_page_goes_back_to_the_lobby_even_for_a_json_client(visitor):
    person = visitor()
    response = person.client.get("/room/" + "0" * 24, headers={"Accept": "application/json"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "존재하지 않는 방입니다." in person.client.get("/").text


def test_a_page_client_gets_the_error_page(visitor, room):
    _, room_id = room
    stranger = visitor()
    response = stranger.client.post(
        f"/room/{room_id}/chat", data={"chat": "hi", "csrf_token": stranger.csrf}
    )
    assert response.status_code == 403
    assert response.mimetype == "text/html" and "먼저 방에 입장하세요." in response.text


def test_a_json_client_gets_json(visitor, room):
    _, room_id = room
    response = visitor().post_chat(room_id, "hi")
    assert response.status_code == 403 and response.json == {
        "error": "먼저 방에 입장하세요.",
        "code": "not-admitted",
    }
