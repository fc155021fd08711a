"""Display names: chosen, checked, kept in the session, stored with messages, announced live."""

import pytest

from .pages import page_data
from .store_backends import BACKENDS, open_store


def name_of(person):
    return person.client.get("/me").json["name"]


def test_a_visitor_chooses_a_name_trimmed(visitor):
    alice = visitor()
    response = alice.rename("  Alice  ")
    assert response.status_code == 200
    assert response.json == {"handle": alice.handle, "color": alice.color, "name": "Alice"}
    assert name_of(alice) == "Alice"
    assert alice.rename("A" * 30).json["name"] == "A" * 30
    assert alice.rename("앨리스 👩‍💻").json["name"] == "앨리스 👩‍💻"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("A" * 31, id="31 characters"),
        pytest.param("\ud800", id="lone surrogate"),
        pytest.param("a\x00b", id="NUL"),
        pytest.param("a\nb", id="newline"),
        pytest.param("a\x7fb", id="DEL"),
        pytest.param("evil\u202egnp.exe", id="direction override"),
        pytest.param(42, id="number"),
        pytest.param(None, id="null"),
        pytest.param(["Alice"], id="list"),
        pytest.param({"name": "Alice"}, id="object"),
    ],
)
def test_a_name_that_cannot_be_shown_is_400_and_changes_nothing(visitor, name):
    alice = visitor()
    alice.rename("Alice")
    response = alice.rename(name)
    assert response.status_code == 400 and response.json["error"]
    assert name_of(alice) == "Alice"


@pytest.mark.parametrize("body", [["Alice"], "Alice", 42, True])
def test_a_body_that_is_not_an_object_names_nobody(visitor, body):
    alice = visitor()
    response = alice.send("/me", body)
    assert response.status_code == 400 and response.json["error"]
    assert name_of(alice) is None


def test_the_refusals_say_why(visitor):
    alice = visitor()
    assert alice.rename("").json["error"] == "이름을 적어 주세요."
    assert alice.rename("A" * 31).json["error"] == "이름은 30자까지 쓸 수 있습니다."
    assert alice.rename("a\x01").json["error"] == (
        "이름에는 보이지 않는 문자, 줄바꿈 문자, 글의 방향을 바꾸는 문자를 쓸 수 없습니다."
    )


def test_a_name_without_its_csrf_token_is_refused(visitor):
    alice = visitor()
    response = alice.client.post("/me", json={"name": "Mallory"})
    assert response.status_code == 400
    assert name_of(alice) is None


def test_the_form_goes_back_to_the_page_it_came_from(visitor):
    alice = visitor()
    form = {"name": "Alice", "csrf_token": alice.csrf}
    response = alice.client.post("/me", data={**form, "next": "/room"})
    assert (response.status_code, response.headers["Location"]) == (302, "/room")
    response = alice.client.post("/me", data={**form, "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert name_of(alice) == "Alice"


def test_a_name_is_escaped_on_every_page(visitor):
    alice = visitor()
    alice.rename("<b>bold</b>")
    room_id = alice.create_room()
    for page in (alice.client.get("/").text, alice.enter(room_id).text):
        assert "<b>bold</b>" not in page
        assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_messages_and_notices_carry_the_name_of_their_person(visitor, store):
    alice, bob = visitor(), visitor()
    alice.rename("Alice")
    bob.rename("Bob")
    room_id = alice.create_room()
    a = alice.join(room_id)
    bob.join(room_id)
    [join] = a.get_received("/chat")
    assert (join["args"][0]["name"], join["args"][0]["chat"]) == (
        "Bob",
        f"Bob ({bob.color})님이 입장하셨습니다.",
    )
    chat = bob.post_chat(room_id, "hi").json
    assert (chat["name"], chat["handle"]) == ("Bob", bob.handle)
    whisper = bob.whisper(room_id, alice.handle, "psst").json
    assert (whisper["toName"], whisper["toHandle"]) == ("Alice", alice.handle)
    history = page_data(alice.enter(room_id).text, "chats-data")
    assert [c.get("name") for c in history] == ["Alice", "Bob", "Bob", "Bob"]


def test_a_new_name_is_announced_to_the_rooms_the_visitor_is_in(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room()
    elsewhere = carol.create_room("elsewhere")
    alice.join(room_id)
    b = bob.join(room_id)
    c = carol.join(elsewhere)
    b.get_received("/chat")
    alice.rename("Alice")
    [event] = b.get_received("/chat")
    assert event["name"] == "name"
    payload = event["args"][0]
    assert {k: payload[k] for k in ("handle", "color", "name")} == {
        "handle": alice.handle,
        "color": alice.color,
        "name": "Alice",
    }
    assert payload["members"][0] == {
        "handle": alice.handle,
        "color": alice.color,
        "name": "Alice",
        "owner": True,
    }
    assert c.get_received("/chat") == []
    # A tab that joins later lists the new name too.
    ack = bob.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert [m["name"] for m in ack["members"]] == ["Alice", None]


def test_names_are_not_identities(visitor):
    alice, bob = visitor(), visitor()
    alice.rename("Sam")
    bob.rename("Sam")
    room_id = alice.create_room()
    alice.join(room_id)
    bob.enter(room_id)
    ack = bob.socket().emit("join", room_id, namespace="/chat", callback=True)
    members = [(m["name"], m["handle"], m["owner"]) for m in ack["members"]]
    assert members == [("Sam", alice.handle, True), ("Sam", bob.handle, False)]
    assert bob.kick(room_id, alice.handle).status_code == 403


def test_the_lobby_shows_the_owners_name_and_hears_it_change(visitor):
    alice, watcher = visitor(), visitor()
    alice.rename("Alice")
    room_id = alice.create_room("named")
    [room] = page_data(watcher.client.get("/").text, "rooms-data")
    assert (room["owner"], room["ownerName"]) == (alice.color, "Alice")
    lobby = watcher.socket("/room")
    lobby.get_received("/room")
    alice.rename("Alicia")
    events = [e["args"][0] for e in lobby.get_received("/room") if e["name"] == "owner"]
    assert events == [{"_id": room_id, "owner": alice.color, "ownerName": "Alicia"}]
    assert watcher.client.get("/rooms").json["rooms"][0]["ownerName"] == "Alicia"


def test_a_room_handed_over_shows_its_new_owners_name(quick_grace, visitor, store):
    from .waiting import wait_for

    alice, bob = visitor(), visitor()
    bob.rename("Bob")
    room_id = alice.create_room()
    a = alice.join(room_id)
    bob.join(room_id)
    a.disconnect(namespace="/chat")
    assert wait_for(lambda: store.get_room(room_id).owner_name == "Bob")


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_stores_keep_the_public_fields_of_a_chat(backend, tmp_path):
    with open_store(backend, tmp_path) as store:
        room = store.create_room("Cats", 10, "#bf4082", None, "k1", "Alice")
        assert store.get_room(room.id).to_json()["ownerName"] == "Alice"
        fields = {"name": "Bob", "handle": "ab" * 8, "owner": True}
        whisper = {"to": "#00ff00", "to_key": "k2", "to_name": "Cy", "to_handle": "cd" * 8}
        sent = store.add_chat(room.id, "#123456", chat="hi", user_key="k1", **fields, **whisper)
        [kept] = store.chats(room.id, limit=1, viewer_key="k1")
        assert kept == sent
        assert {
            k: kept.to_json()[k] for k in ("name", "handle", "owner", "toName", "toHandle")
        } == {
            "name": "Bob",
            "handle": "ab" * 8,
            "owner": True,
            "toName": "Cy",
            "toHandle": "cd" * 8,
        }
        plain = store.add_chat(room.id, "#123456", chat="plain")
        assert plain.to_json().keys() == {"_id", "room", "seq", "user", "chat", "createdAt"}
        assert store.set_owner(room.id, "#123456", "k3", None).to_json().keys() == {
            "_id",
            "room",
            "title",
            "max",
            "owner",
            "password",
            "createdAt",
        } - {"room"}


def test_a_database_made_before_names_opens_and_keeps_them(tmp_path):
    import sqlite3
    from contextlib import closing

    from app.store.sqlite import SQLiteStore

    path = tmp_path / "old.sqlite3"
    # The tables as the release before names made them.
    with closing(sqlite3.connect(path)) as old, old:
        old.executescript(
            "CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL, max INTEGER NOT NULL,"
            " owner TEXT NOT NULL, password_hash TEXT, owner_key TEXT,"
            " banned TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL);"
            "CREATE TABLE chats (id TEXT PRIMARY KEY, room TEXT NOT NULL, user TEXT NOT NULL,"
            " chat TEXT, gif TEXT, kind TEXT, who TEXT, recipient TEXT, user_key TEXT,"
            " to_key TEXT, created_at TEXT NOT NULL);"
            "INSERT INTO rooms VALUES ('" + "a" * 24 + "', 'Old', 5, '#111111', NULL, 'k',"
            " '[]', '2026-01-01T00:00:00+00:00');"
            "INSERT INTO chats (id, room, user, chat, created_at) VALUES"
            " ('" + "0" * 24 + "', '" + "a" * 24 + "', '#111111', 'old', "
            " '2026-01-01T00:00:00+00:00');"
        )
    old.close()
    store = SQLiteStore(path, tmp_path / "uploads")
    try:
        [before] = store.chats("a" * 24, limit=5)
        assert before.to_json()["chat"] == "old" and "name" not in before.to_json()
        assert store.get_room("a" * 24).owner_name is None
        store.add_chat("a" * 24, "#111111", chat="new", name="Alice", handle="ab" * 8)
        assert store.chats("a" * 24, limit=1)[0].name == "Alice"
        assert store.set_owner("a" * 24, "#111111", "k", "Alice").owner_name == "Alice"
    finally:
        store.close()
