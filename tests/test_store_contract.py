"""The Store contract: every backend answers every call the same way."""

import json
from datetime import UTC, timedelta

import pytest

from app.store.base import MEDIA_NAME, Chat, Room, is_id, new_id, utcnow

from .store_backends import BACKENDS, open_store

HASH = "scrypt:32768:8:1$saltsalt$0123456789abcdef"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
# Not ids as the contract spells them; each must behave as an unknown room.
MALFORMED = [None, False, 0, "", "nope", "A" * 24, "0" * 23, "0" * 25, " " + "0" * 23,
             ["0" * 24], {"$gt": ""}, b"0" * 24]  # fmt: skip


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with open_store(request.param, tmp_path) as store:
        yield store


@pytest.fixture
def room(store):
    return store.create_room("Cats", 10, "#bf4082", None)


def test_create_room_keeps_its_fields(store):
    before = utcnow()
    room = store.create_room("Cats", 5, "#bf4082", HASH)
    assert is_id(room.id)
    assert (room.title, room.capacity, room.owner, room.password_hash) == (
        "Cats",
        5,
        "#bf4082",
        HASH,
    )
    assert room.secret and room.banned == frozenset()
    assert room.created_at.utcoffset() == timedelta(0)
    assert before <= room.created_at <= utcnow()
    assert store.get_room(room.id) == room


def test_list_rooms_oldest_first(store):
    rooms = [store.create_room(f"room {n}", 10, "#000000", None) for n in range(5)]
    assert store.list_rooms() == rooms


def test_list_rooms_empty(store):
    assert store.list_rooms() == []


def test_to_json_never_contains_the_hash(store):
    secret = store.create_room("Secret", 10, "#bf4082", HASH)
    public = store.create_room("Public", 10, "#bf4082", None)
    for room in (store.get_room(secret.id), *store.list_rooms()):
        assert HASH not in json.dumps(room.to_json())
        assert "saltsalt" not in json.dumps(room.to_json())
    assert store.get_room(secret.id).to_json()["password"] is True
    assert store.get_room(public.id).to_json() == {
        "_id": public.id,
        "title": "Public",
        "max": 10,
        "owner": "#bf4082",
        "password": False,
        "createdAt": public.to_json()["createdAt"],
    }
    assert public.to_json()["createdAt"].endswith("Z")


def test_set_owner(store, room):
    changed = store.set_owner(room.id, "#00ff00", "key of the new owner")
    assert (changed.owner, changed.owner_key) == ("#00ff00", "key of the new owner")
    assert store.get_room(room.id) == changed
    assert (changed.title, changed.created_at) == (room.title, room.created_at)


def test_create_room_keeps_the_owner_key_private(store):
    room = store.create_room("Cats", 5, "#bf4082", None, "owner key")
    assert store.get_room(room.id).owner_key == "owner key"
    assert "owner key" not in str(room.to_json())


def test_ban_adds_each_user_once(store, room):
    assert store.ban(room.id, "#111111").banned == {"#111111"}
    store.ban(room.id, "#222222")
    assert store.ban(room.id, "#111111").banned == {"#111111", "#222222"}
    assert store.get_room(room.id).banned == {"#111111", "#222222"}


def test_unknown_room(store):
    unknown = new_id()
    assert store.get_room(unknown) is None
    assert store.set_owner(unknown, "#000000") is None
    assert store.ban(unknown, "#000000") is None
    assert store.delete_room(unknown) is False
    assert store.chats(unknown, limit=10) == []


def test_delete_room(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    assert store.delete_room(room.id) is True
    assert store.get_room(room.id) is None
    assert store.list_rooms() == [other]
    assert store.delete_room(room.id) is False


def test_add_chat_keeps_its_fields(store, room):
    text = store.add_chat(room.id, "#bf4082", chat="hello")
    gif = store.add_chat(room.id, "#bf4082", gif=f"{new_id()}.gif")
    notice = store.add_chat(room.id, "system", chat="joined", kind="join", who="#bf4082")
    whisper = store.add_chat(
        room.id, "#bf4082", chat="psst", to="#00ff00", user_key="k1", to_key="k2"
    )
    assert all(is_id(c.id) and c.room == room.id for c in (text, gif, notice, whisper))
    assert text.to_json().keys() == {"_id", "room", "user", "chat", "createdAt"}
    assert gif.to_json().keys() == {"_id", "room", "user", "gif", "createdAt"}
    assert (notice.kind, notice.who, whisper.to) == ("join", "#bf4082", "#00ff00")
    assert (whisper.user_key, whisper.to_key) == ("k1", "k2")
    # The keys say who someone is; they never leave the server.
    assert whisper.to_json().keys() == {"_id", "room", "user", "chat", "to", "createdAt"}
    assert text.created_at.tzinfo is not None
    assert store.chats(room.id, limit=10, viewer_key="k1") == [whisper, notice, gif, text]


def test_chats_newest_first_in_pages(store, room):
    sent = [store.add_chat(room.id, "#bf4082", chat=f"message {n}") for n in range(7)]
    newest_first = sent[::-1]
    first = store.chats(room.id, limit=3)
    assert first == newest_first[:3]
    second = store.chats(room.id, limit=3, before=first[-1].id)
    assert second == newest_first[3:6]
    assert store.chats(room.id, limit=3, before=second[-1].id) == newest_first[6:]
    assert store.chats(room.id, limit=3, before=sent[0].id) == []
    assert store.chats(room.id, limit=100) == newest_first
    assert store.chats(room.id, limit=0) == []


def test_chats_of_one_room_only(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    mine = store.add_chat(room.id, "#bf4082", chat="here")
    store.add_chat(other.id, "#bf4082", chat="there")
    assert store.chats(room.id, limit=10) == [mine]
    assert store.chats(new_id(), limit=10) == []


@pytest.mark.parametrize(
    "viewer, seen",
    [(None, {"all"}), ("ka", {"all", "a to b"}), ("kb", {"all", "a to b"}),
     ("kc", {"all"}), ("#aaaaaa", {"all"}), ("#bbbbbb", {"all"})],
)  # fmt: skip
def test_whispers_only_for_sender_and_recipient(store, room, viewer, seen):
    """By their keys: another person who shares a color sees nothing."""
    store.add_chat(room.id, "#aaaaaa", chat="all", user_key="ka")
    store.add_chat(room.id, "#aaaaaa", chat="a to b", to="#bbbbbb", user_key="ka", to_key="kb")
    assert {c.chat for c in store.chats(room.id, limit=10, viewer_key=viewer)} == seen


def test_whispers_do_not_shorten_the_page_cursor(store, room):
    public = [store.add_chat(room.id, "#aaaaaa", chat=str(n)) for n in range(3)]
    whisper = store.add_chat(
        room.id, "#aaaaaa", chat="psst", to="#bbbbbb", user_key="ka", to_key="kb"
    )
    assert store.chats(room.id, limit=2, viewer_key="kc") == public[:0:-1]
    assert store.chats(room.id, limit=2, viewer_key="kb") == [whisper, public[2]]


def test_media_round_trip(store, room):
    data = GIF + bytes(range(256)) * 10
    name = store.save_media(room.id, data)
    assert MEDIA_NAME.fullmatch(name)
    media = store.open_media(name)
    assert (media.name, media.data) == (name, data)
    assert media.etag == name.removesuffix(".gif")
    assert abs(media.created_at - utcnow()) < timedelta(minutes=1)
    assert media.created_at.utcoffset() == timedelta(0)
    assert store.save_media(room.id, data) != name


@pytest.mark.parametrize(
    "name", [None, 7, "", "x.gif", "A" * 24 + ".gif", "0" * 24, "0" * 24 + ".png",
             "../" + "0" * 24 + ".gif", "0" * 24 + ".gif/"],
)  # fmt: skip
def test_malformed_media_names(store, room, name):
    store.save_media(room.id, GIF)
    assert store.open_media(name) is None


def test_unknown_media(store):
    assert store.open_media(f"{new_id()}.gif") is None


def test_delete_room_takes_its_chats_and_media(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    for target in (room, other):
        store.add_chat(target.id, "#bf4082", chat="hello")
        store.add_chat(target.id, "#bf4082", chat="psst", to="#00ff00")
    gone = [store.save_media(room.id, GIF) for _ in range(2)]
    kept = store.save_media(other.id, GIF)
    other_chats = store.chats(other.id, limit=10, viewer_key="#bf4082")

    assert store.delete_room(room.id) is True
    assert store.chats(room.id, limit=10, viewer_key="#bf4082") == []
    assert [store.open_media(name) for name in gone] == [None, None]
    assert store.get_room(other.id) == other
    assert store.chats(other.id, limit=10, viewer_key="#bf4082") == other_chats
    assert store.open_media(kept).data == GIF


def test_a_recreated_room_starts_empty(store, room):
    store.add_chat(room.id, "#bf4082", chat="hello")
    store.delete_room(room.id)
    fresh = store.create_room("Cats", 10, "#bf4082", None)
    assert fresh.id != room.id
    assert store.chats(fresh.id, limit=10) == []


@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_malformed_ids_are_unknown(store, room, bad):
    store.add_chat(room.id, "#bf4082", chat="hello")
    assert store.get_room(bad) is None
    assert store.set_owner(bad, "#000000") is None
    assert store.ban(bad, "#000000") is None
    assert store.delete_room(bad) is False
    assert store.chats(bad, limit=10) == []
    if bad is not None:  # before=None asks for the newest page
        assert store.chats(room.id, limit=10, before=bad) == []
    assert store.open_media(bad) is None
    assert store.get_room(room.id) == room


def test_returned_types(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    assert isinstance(store.get_room(room.id), Room)
    assert isinstance(store.chats(room.id, limit=1)[0], Chat)
    assert chat.created_at.astimezone(UTC) == chat.created_at


def test_ping(store):
    store.ping()
