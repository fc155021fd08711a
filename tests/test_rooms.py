"""The lobby, creating rooms, entering them, passwords and deletion, over HTTP."""

import pytest

from .pages import page_data


def test_lobby_lists_rooms_with_type_capacity_and_owner(visitor):
    alice = visitor()
    alice.create_room("Open talk", max=5)
    alice.create_room("Hidden", max=3, password="sesame")
    page = visitor().client.get("/").text
    rooms = {
        (r["title"], r["password"], r["count"], r["max"], r["owner"])
        for r in page_data(page, "rooms-data")
    }
    assert rooms == {("Open talk", False, 0, 5, alice.color), ("Hidden", True, 0, 3, alice.color)}
    assert "sesame" not in page


def test_create_form(visitor):
    page = visitor().client.get("/room")
    assert page.status_code == 200
    assert 'name="title"' in page.text and 'name="max"' in page.text
    assert "GIF 채팅방 생성" in page.text


def test_creating_a_room_makes_the_creator_its_owner_and_lets_them_in(visitor, store):
    alice = visitor()
    room_id = alice.create_room("Mine", max=4, password="pw")
    room = store.get_room(room_id)
    assert (room.title, room.capacity, room.owner, room.secret) == ("Mine", 4, alice.color, True)
    assert room.password_hash != "pw"
    page = alice.enter(room_id)
    assert page.status_code == 200 and 'id="chat-list"' in page.text


def test_capacity_defaults_to_ten(visitor, store):
    alice = visitor()
    response = alice.client.post("/room", data={"title": "t", "csrf_token": alice.csrf})
    room_id = response.headers["Location"].rsplit("/", 1)[1]
    assert store.get_room(room_id).capacity == 10


def test_title_is_trimmed(visitor, store):
    room_id = visitor().create_room("   spaced   ")
    assert store.get_room(room_id).title == "spaced"


def test_new_room_is_announced_in_every_lobby_without_its_secret(visitor):
    alice, bob = visitor(), visitor()
    lobby = bob.socket("/room")
    room_id = alice.create_room("News", password="hunter2")
    events = lobby.get_received("/room")
    assert [e["name"] for e in events] == ["newRoom"]
    room = events[0]["args"][0]
    assert room["_id"] == room_id and room["password"] is True and room["owner"] == alice.color
    keys = {"_id", "title", "max", "owner", "password", "createdAt", "count", "closesAt"}
    assert set(room) == keys
    assert room["count"] == 0  # nobody has joined its feed yet
    assert room["closesAt"] is not None  # so it goes unless someone comes
    assert "hunter2" not in str(events)


@pytest.mark.parametrize(
    "form, message",
    [
        ({"title": ""}, "방 제목을 입력하세요."),
        ({"title": "   "}, "방 제목을 입력하세요."),
        ({"title": "x" * 101}, "100자까지"),
        ({"title": "t", "max": "1"}, "2명에서 100명 사이"),
        ({"title": "t", "max": "101"}, "2명에서 100명 사이"),
        ({"title": "t", "max": "-5"}, "2명에서 100명 사이"),
        ({"title": "t", "max": "ten"}, 'name="max"'),
        ({"title": "t", "password": "p" * 101}, "100자까지"),
    ],
)
def test_bad_room_forms_are_refused_and_create_nothing(visitor, store, form, message):
    alice = visitor()
    response = alice.client.post("/room", data={**form, "csrf_token": alice.csrf})
    assert response.status_code == 400
    assert message in response.text
    assert store.list_rooms() == []


def test_room_form_without_csrf_token_is_refused(visitor, store):
    alice = visitor()
    response = alice.client.post("/room", data={"title": "t"})
    assert response.status_code == 302
    assert "양식이 만료되었거나" in alice.client.get("/").text
    assert store.list_rooms() == []


def test_html_in_titles_is_shown_as_text(visitor):
    alice = visitor()
    title = "<b>bold</b><script>x()</script>"
    room_id = alice.create_room(title)
    lobby, room = alice.client.get("/").text, alice.enter(room_id).text
    for page in (lobby, room):
        assert "<script>x()" not in page and "</script><script>" not in page
    assert [r["title"] for r in page_data(lobby, "rooms-data")] == [title]
    assert "&lt;b&gt;bold&lt;/b&gt;" in room


@pytest.mark.parametrize("room_id", ["0" * 24, "not-an-id", "ZZZZZZZZZZZZZZZZZZZZZZZZ", "1" * 200])
def test_unknown_or_malformed_room_sends_back_to_the_lobby(visitor, room_id):
    bob = visitor()
    response = bob.enter(room_id)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "존재하지 않는 방입니다." in bob.client.get("/").text


def test_secret_room_asks_for_the_password_in_a_form(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="sesame")
    page = bob.enter(room_id)
    assert page.status_code == 200
    assert 'type="password"' in page.text and 'id="chat-list"' not in page.text
    assert "sesame" not in page.text


def test_wrong_password_is_refused_and_does_not_admit(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="sesame")
    response = bob.enter(room_id, password="guess")
    assert response.status_code == 403
    assert "비밀번호가 일치하지 않습니다." in response.text
    assert 'id="chat-list"' not in bob.enter(room_id).text
    assert bob.post_chat(room_id, "hi").status_code == 403


def test_right_password_admits(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="sesame")
    response = bob.enter(room_id, password="sesame")
    assert response.status_code == 302 and response.headers["Location"] == f"/room/{room_id}"
    assert 'id="chat-list"' in bob.enter(room_id).text
    bob.join(room_id)
    assert bob.post_chat(room_id, "hi").status_code == 201


def test_password_for_a_public_room_is_refused(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Open")
    assert bob.enter(room_id, password="anything").status_code == 403


@pytest.mark.parametrize("data", [{}, {"password": ""}])
def test_empty_password_is_refused(visitor, data):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="sesame")
    response = bob.client.post(f"/room/{room_id}/password", data={**data, "csrf_token": bob.csrf})
    assert response.status_code == 400
    assert 'id="chat-list"' not in bob.enter(room_id).text


def test_password_without_csrf_token_does_not_admit(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="sesame")
    bob.client.post(f"/room/{room_id}/password", data={"password": "sesame"})
    assert 'id="chat-list"' not in bob.enter(room_id).text


def test_password_for_unknown_room_goes_to_the_lobby(visitor):
    bob = visitor()
    response = bob.enter("0" * 24, password="x")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_full_room_sends_newcomers_back_with_a_message(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room("Pair", max=2)
    alice.join(room_id)
    bob.join(room_id)
    response = carol.enter(room_id)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "허용 인원을 초과했습니다." in carol.client.get("/").text
    # Someone already inside is never turned away, e.g. on a reload or a second tab.
    assert bob.enter(room_id).status_code == 200


def test_owner_deletes_the_room_and_everything_in_it(visitor, store):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Doomed")
    inside = bob.join(room_id)
    lobby = visitor().socket("/room")
    alice.enter(room_id)
    alice.post_chat(room_id, "bye")
    inside.get_received("/chat")
    response = alice.delete_room(room_id)
    assert response.status_code == 204
    assert store.get_room(room_id) is None
    assert store.chats(room_id, limit=10) == []
    assert ("removeRoom", [room_id]) in [
        (e["name"], e["args"]) for e in lobby.get_received("/room")
    ]
    assert ("removeRoom", [room_id]) in [
        (e["name"], e["args"]) for e in inside.get_received("/chat")
    ]


def test_only_the_owner_may_delete(visitor, store):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Mine")
    response = bob.delete_room(room_id)
    assert response.status_code == 403
    assert response.json == {"error": "방장만 방을 삭제할 수 있습니다.", "code": "not-owner"}
    assert store.get_room(room_id) is not None


@pytest.mark.parametrize("room_id", ["0" * 24, "nope"])
def test_deleting_an_unknown_room_is_404(visitor, room_id):
    response = visitor().delete_room(room_id)
    assert response.status_code == 404
    assert response.json == {"error": "존재하지 않는 방입니다.", "code": "not-found"}


def test_delete_without_csrf_token_is_refused(visitor, store):
    alice = visitor()
    room_id = alice.create_room("Mine")
    response = alice.client.delete(f"/room/{room_id}")
    assert response.status_code == 400 and "error" in response.json
    assert store.get_room(room_id) is not None


def test_unknown_route_is_a_page_not_found(visitor):
    response = visitor().client.get("/nowhere")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text


def test_unknown_route_answers_json_to_json_clients(visitor):
    response = visitor().client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {
        "error": "GET /nowhere 라우터가 존재하지 않습니다.",
        "code": "not-found",
    }


def test_wrong_method_is_405_not_500(visitor):
    assert visitor().client.put("/room").status_code == 405


def test_a_session_remembers_its_latest_admissions_only(visitor):
    from app.rooms.service import ADMISSIONS_KEPT

    alice = visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(ADMISSIONS_KEPT + 2)]
    with alice.client.session_transaction() as session:
        assert session["rooms"] == rooms[-ADMISSIONS_KEPT:]
