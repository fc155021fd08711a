"""First run and edges, on the server: long messages refused whole, rooms closed to the removed."""

import pytest

from .conftest import posted
from .pages import page_data

pytestmark = pytest.mark.usefixtures("english_first")


@pytest.fixture(params=["sqlite", "mongomock"])
def backend(request):
    """Both embedded backends: the closed flag comes from each one's banned set."""
    return request.param


LIMIT = 1000  # CHAT_MAX_LENGTH, the default


# A message over the limit is refused, never cut


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x" * (LIMIT + 1), id="one-over"),
        pytest.param("word " * 400, id="a-long-paste"),
        pytest.param("👍" * (LIMIT + 1), id="emoji-over"),
        pytest.param("가" * LIMIT + "!", id="hangul-over"),
    ],
)
def test_an_over_limit_message_is_refused_whole_and_stores_nothing(room, store, text):
    owner, room_id = room
    response = owner.post_chat(room_id, text)
    assert response.status_code == 400
    assert response.json == {
        "error": f"A message can be at most {LIMIT} characters.",
        "code": "too-long",
    }
    assert posted(store, room_id) == []


def test_an_over_limit_whisper_is_refused_too(trio, store):
    room_id, (alice, bob, _), (_, b, _) = trio
    response = alice.send(f"/room/{room_id}/chat", {"chat": "y" * (LIMIT + 1), "to": bob.handle})
    assert response.status_code == 400
    assert posted(store, room_id) == []
    assert b.get_received("/chat") == []


def test_an_over_limit_form_post_stores_nothing(room, store):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat", data={"chat": "z" * (LIMIT + 1), "csrf_token": owner.csrf}
    )
    assert response.status_code == 400
    assert posted(store, room_id) == []


def test_the_refusal_is_in_the_visitors_language(room, store):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat",
        json={"chat": "x" * (LIMIT + 1)},
        headers={"X-CSRFToken": owner.csrf, "Accept-Language": "ko"},
    )
    assert response.status_code == 400
    assert response.json["error"] == "메시지는 1000자까지 쓸 수 있습니다."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("👍" * LIMIT, id="emoji-count-as-one"),
        pytest.param("  \n" + "x" * LIMIT + "\u3000 \n", id="trimmed-first"),
    ],
)
def test_the_limit_counts_code_points_after_trimming(room, store, text):
    owner, room_id = room
    response = owner.post_chat(room_id, text)
    assert response.status_code == 201, response.text
    assert posted(store, room_id)[0].chat == text.strip()


def test_the_page_gives_its_scripts_the_limit_and_the_page_size(room):
    owner, room_id = room
    config = page_data(owner.enter(room_id).text, "page-config")
    assert config["limits"]["chat"] == LIMIT
    assert config["limits"]["historyPage"] == 50


def test_the_message_box_does_not_cut_a_paste(room):
    owner, room_id = room
    page = owner.enter(room_id).text
    textarea = page[page.index('<textarea id="chat"') :].split(">", 1)[0]
    assert "maxlength" not in textarea


# A room is closed to whoever was removed from it, in their lobby only


def closed_flags(rooms):
    return {room["_id"]: room.get("closed") for room in rooms}


def test_a_removed_visitors_lobby_shows_the_room_closed_to_them_only(trio, visitor):
    room_id, (alice, bob, carol), _ = trio
    other = visitor().create_room("Other")
    assert alice.kick(room_id, bob.handle).status_code == 204

    listed = bob.client.get("/rooms", headers={"Accept": "application/json"}).json["rooms"]
    assert closed_flags(listed) == {room_id: True, other: False}
    assert closed_flags(page_data(bob.client.get("/").text, "rooms-data")) == {
        room_id: True,
        other: False,
    }
    for person in (alice, carol, visitor()):
        listed = person.client.get("/rooms").json["rooms"]
        assert closed_flags(listed) == {room_id: False, other: False}
        assert closed_flags(page_data(person.client.get("/").text, "rooms-data")) == {
            room_id: False,
            other: False,
        }


def test_lobby_broadcasts_carry_no_closed_flag(trio, visitor):
    room_id, (alice, bob, _), _ = trio
    lobby = bob.socket("/room")
    lobby.get_received("/room")
    alice.kick(room_id, bob.handle)
    visitor().create_room("Newer")
    events = lobby.get_received("/room")
    assert [e["name"] for e in events if e["name"] == "newRoom"] == ["newRoom"]
    assert all("closed" not in e["args"][0] for e in events if isinstance(e["args"][0], dict))


def test_a_lobby_without_a_session_lists_rooms_open(room, app):
    _, room_id = room
    listed = app.test_client().get("/rooms").json["rooms"]
    assert closed_flags(listed) == {room_id: False}


@pytest.mark.parametrize("query", ["?closed=1", "?viewer=x", "?closed[]=%00"])
def test_the_room_list_ignores_what_the_caller_says_about_closed(trio, query):
    room_id, (alice, bob, _), _ = trio
    alice.kick(room_id, bob.handle)
    response = alice.client.get("/rooms" + query)
    assert response.status_code == 200
    assert closed_flags(response.json["rooms"]) == {room_id: False}
