"""The Store contract: every backend answers every call the same way."""

import json
from datetime import datetime, timedelta

import pytest

from app.store.base import MEDIA_NAME, Chat, Room, is_id, new_id, utcnow

from .store_backends import BACKENDS, open_store

HASH = "scrypt:32768:8:1$saltsalt$0123456789abcdef"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
# Not ids as the contract spells them; each must behave as an unknown room.
MALFORMED = [None, False, 0, "", "nope", "A" * 24, "0" * 23, "0" * 25, " " + "0" * 23,
             ["0" * 24], {"$gt": ""}, b"0" * 24]  # fmt: skip


@pytest.fixture(params=BACKENDS)
def backend(request):
    """Every backend, whatever the app-level tests run on."""
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    with open_store(backend, tmp_path) as store:
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
    assert text.to_json().keys() == {"_id", "room", "seq", "user", "chat", "createdAt"}
    assert gif.to_json().keys() == {"_id", "room", "seq", "user", "gif", "createdAt"}
    assert (notice.kind, notice.who, whisper.to) == ("join", "#bf4082", "#00ff00")
    assert (whisper.user_key, whisper.to_key) == ("k1", "k2")
    # The keys say who someone is; they never leave the server.
    assert whisper.to_json().keys() == {"_id", "room", "seq", "user", "chat", "to", "createdAt"}
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


def test_chats_after_oldest_first_in_pages_to_the_end(store, room):
    sent = [store.add_chat(room.id, "#bf4082", chat=f"message {n}") for n in range(7)]
    assert store.chats(room.id, limit=3, after=sent[0].id) == sent[1:4]
    caught_up, cursor = [], sent[1].id
    for _ in range(len(sent)):  # bounded: each page moves the cursor on
        page = store.chats(room.id, limit=2, after=cursor)
        if not page:
            break
        caught_up += page
        cursor = page[-1].id
    assert caught_up == sent[2:]
    assert store.chats(room.id, limit=3, after=sent[-1].id) == []


def test_a_cursor_id_that_is_no_chat_of_the_room_gives_an_empty_page(store, room):
    """An id stands for its chat's seq: an id of another room's chat, or of none, has none."""
    other = store.create_room("Dogs", 10, "#000000", None)
    early = store.add_chat(room.id, "#bf4082", chat="early")
    elsewhere = store.add_chat(other.id, "#bf4082", chat="elsewhere")
    store.add_chat(room.id, "#bf4082", chat="late")
    for cursor in (elsewhere.id, new_id(), "0" * 24):
        assert store.chats(room.id, limit=10, after=cursor) == []
        assert store.chats(room.id, limit=10, before=cursor) == []
    assert store.chats(other.id, limit=10, after=early.id) == []
    assert store.chats(new_id(), limit=10, after=early.id) == []


@pytest.mark.parametrize(
    "viewer_key, seen",
    [(None, ["all", "later"]), ("ka", ["all", "a to b", "later"]),
     ("kb", ["all", "a to b", "later"]), ("kc", ["all", "later"]), ("#aaaaaa", ["all", "later"])],
)  # fmt: skip
def test_chats_after_show_whispers_only_to_sender_and_recipient(store, room, viewer_key, seen):
    first = store.add_chat(room.id, "#aaaaaa", chat="first", user_key="ka")
    store.add_chat(room.id, "#aaaaaa", chat="all", user_key="ka")
    store.add_chat(room.id, "#aaaaaa", chat="a to b", to="#bbbbbb", user_key="ka", to_key="kb")
    store.add_chat(room.id, "#bbbbbb", chat="later", user_key="kb")
    page = store.chats(room.id, limit=10, after=first.id, viewer_key=viewer_key)
    assert [chat.chat for chat in page] == seen
    # Whispers of others do not shorten a page either.
    assert len(store.chats(room.id, limit=2, after=first.id, viewer_key="kc")) == 2


def test_chats_before_and_after_at_once_is_a_mistake(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    with pytest.raises(ValueError):
        store.chats(room.id, limit=10, before=chat.id, after=chat.id)


def test_chats_of_one_room_only(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    mine = store.add_chat(room.id, "#bf4082", chat="here")
    store.add_chat(other.id, "#bf4082", chat="there")
    assert store.chats(room.id, limit=10) == [mine]
    assert store.chats(new_id(), limit=10) == []


@pytest.mark.parametrize(
    "viewer_key, seen",
    [(None, {"all"}), ("ka", {"all", "a to b"}), ("kb", {"all", "a to b"}),
     ("kc", {"all"}), ("#aaaaaa", {"all"}), ("#bbbbbb", {"all"})],
)  # fmt: skip
def test_whispers_only_for_sender_and_recipient(store, room, viewer_key, seen):
    """By their keys: another person who shares a color sees nothing."""
    store.add_chat(room.id, "#aaaaaa", chat="all", user_key="ka")
    store.add_chat(room.id, "#aaaaaa", chat="a to b", to="#bbbbbb", user_key="ka", to_key="kb")
    assert {c.chat for c in store.chats(room.id, limit=10, viewer_key=viewer_key)} == seen


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
    assert (media.name, media.read()) == (name, data)
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
    assert store.open_media(kept).read() == GIF


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
    if bad is not None:  # None asks for the newest page
        assert store.chats(room.id, limit=10, before=bad) == []
        assert store.chats(room.id, limit=10, after=bad) == []
    assert store.open_media(bad) is None
    assert store.get_room(room.id) == room


def test_returned_types(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    assert isinstance(store.get_room(room.id), Room)
    [read] = store.chats(room.id, limit=1)
    assert isinstance(read, Chat) and isinstance(read.created_at, datetime)
    # Read back in UTC (a naive or local time has another offset), and the same instant.
    assert read.created_at.utcoffset() == timedelta(0)
    assert read.created_at == chat.created_at


def test_ping(store):
    store.ping()


# Deleting messages: removed for good, nothing left in their place.


def test_delete_chat_removes_it_and_its_reactions(store, room):
    kept = store.add_chat(room.id, "#bf4082", chat="stays", user_key="k1")
    gone = store.add_chat(room.id, "#bf4082", chat="regret", user_key="k1")
    store.toggle_reaction(gone.id, "👍", "k2")
    deleted = store.delete_chat(gone.id)
    assert (deleted.id, deleted.chat, deleted.user_key) == (gone.id, "regret", "k1")
    assert store.get_chat(gone.id) is None
    assert [chat.id for chat in store.chats(room.id, limit=10)] == [kept.id]
    assert store.delete_chat(gone.id) is None
    assert store.toggle_reaction(gone.id, "👍", "k2") is None


def test_delete_gif_chat_removes_its_file_unless_another_shows_it(store, room):
    name = store.save_media(room.id, GIF)
    first = store.add_chat(room.id, "#bf4082", gif=name, user_key="k1")
    again = store.add_chat(room.id, "#bf4082", gif=name, user_key="k1")
    store.delete_chat(first.id)
    assert store.open_media(name).read() == GIF
    store.delete_chat(again.id)
    assert store.open_media(name) is None


def test_get_chat_keeps_its_fields(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="psst", to="#000000", user_key="a", to_key="b")
    assert store.get_chat(chat.id) == chat
    assert store.get_chat(new_id()) is None


# Reactions: one per person and emoji, toggled, counted in the order first given.


def test_reactions_toggle_per_person(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello", user_key="k1")
    store.toggle_reaction(chat.id, "👍", "k1")
    store.toggle_reaction(chat.id, "😂", "k2")
    after = store.toggle_reaction(chat.id, "👍", "k2")
    assert after.reaction_counts() == {"👍": 2, "😂": 1}
    assert after.to_json("k2")["reactions"] == {"👍": 2, "😂": 1}
    assert sorted(after.to_json("k2")["mine"]) == ["👍", "😂"]
    assert after.to_json("k1")["mine"] == ["👍"]
    assert after.to_json()["mine"] == []
    undone = store.toggle_reaction(chat.id, "👍", "k1")
    assert undone.reaction_counts() == {"😂": 1, "👍": 1}
    assert undone.to_json("k1")["mine"] == []


def test_reactions_are_kept_in_history(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    plain = store.add_chat(room.id, "#bf4082", chat="no reactions")
    store.toggle_reaction(chat.id, "❤️", "k1")
    later, first = store.chats(room.id, limit=10)
    assert first.reaction_counts() == {"❤️": 1} and later.reactions == ()
    assert "reactions" not in plain.to_json() and "mine" not in plain.to_json()
    assert store.get_chat(chat.id).reactions == (("❤️", "k1"),)


def test_reactions_never_show_whose_they_are(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    json_text = json.dumps(store.toggle_reaction(chat.id, "👍", "secret-key").to_json("other"))
    assert "secret-key" not in json_text


def test_delete_room_takes_its_reactions(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    store.toggle_reaction(chat.id, "👍", "k1")
    store.delete_room(room.id)
    assert store.get_chat(chat.id) is None


# Recent GIFs: the room's and the visitor's own, to send again.


def test_recent_gifs_of_the_room_and_my_own_newest_first(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    mine_elsewhere = store.save_media(other.id, GIF)
    store.add_chat(other.id, "#bf4082", gif=mine_elsewhere, user_key="me")
    theirs_elsewhere = store.save_media(other.id, GIF)
    store.add_chat(other.id, "#000000", gif=theirs_elsewhere, user_key="them")
    here = store.save_media(room.id, GIF)
    store.add_chat(room.id, "#000000", gif=here, user_key="them")
    store.add_chat(room.id, "#000000", gif=here, user_key="them")
    assert store.recent_gifs(room.id, "me", limit=10) == [here, mine_elsewhere]
    assert store.recent_gifs(room.id, "me", limit=1) == [here]
    assert store.recent_gifs(room.id, None, limit=10) == [here]
    assert store.recent_gifs(other.id, "nobody", limit=10) == [theirs_elsewhere, mine_elsewhere]


def test_reuse_gif_only_of_the_room_or_my_own(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    here = store.save_media(room.id, GIF)
    store.add_chat(room.id, "#000000", gif=here, user_key="them")
    mine = store.save_media(other.id, GIF + b"mine")
    store.add_chat(other.id, "#bf4082", gif=mine, user_key="me")
    theirs = store.save_media(other.id, GIF)
    store.add_chat(other.id, "#000000", gif=theirs, user_key="them")
    assert store.reuse_gif(here, room.id, "me") == here
    assert store.reuse_gif(theirs, room.id, "me") is None
    assert store.reuse_gif(theirs, room.id, None) is None
    assert store.reuse_gif(new_id() + ".gif", room.id, "me") is None
    # Another room's GIF is copied, so deleting that room leaves this one's message whole.
    copy = store.reuse_gif(mine, room.id, "me")
    assert copy != mine and store.open_media(copy).read() == GIF + b"mine"
    store.delete_room(other.id)
    assert store.open_media(copy).read() == GIF + b"mine"


@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_malformed_ids_for_chats_are_unknown(store, room, bad):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    assert store.get_chat(bad) is None
    assert store.delete_chat(bad) is None
    assert store.toggle_reaction(bad, "👍", "k1") is None
    assert store.recent_gifs(bad, "k1", limit=5) == []
    assert store.reuse_gif(bad, room.id, "k1") is None
    assert store.get_chat(chat.id) == chat


def test_records_are_built_by_keyword_only(store, room):
    """A field added to a record cannot shift the others: no record takes positional fields."""
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    with pytest.raises(TypeError):
        Chat(chat.id, room.id, "#bf4082", chat.created_at)
    with pytest.raises(TypeError):
        Room(room.id, "Cats", 10, "#bf4082", None, room.created_at)


# One order for a room's messages: the seq the store gives each, whatever process stored it.


def test_each_room_numbers_its_chats_from_one(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    here = [store.add_chat(room.id, "#bf4082", chat=str(n)) for n in range(3)]
    there = store.add_chat(other.id, "#bf4082", chat="there")
    notice = store.add_chat(room.id, "system", chat="joined", kind="join", who="#bf4082")
    assert [chat.seq for chat in here] + [notice.seq] == [1, 2, 3, 4] and there.seq == 1
    assert notice.to_json()["seq"] == 4
    assert [chat.seq for chat in store.chats(room.id, limit=10)] == [4, 3, 2, 1]
    assert store.get_chat(here[1].id).seq == 2


def test_a_seq_is_never_given_twice_even_after_the_newest_chat_goes(store, room):
    """A page that saw seq 2 must not miss a later message: it can never be given 2 again."""
    store.add_chat(room.id, "#bf4082", chat="one")
    newest = store.add_chat(room.id, "#bf4082", chat="two")
    store.delete_chat(newest.id)
    later = store.add_chat(room.id, "#bf4082", chat="three")
    assert later.seq == 3
    assert store.chats(room.id, limit=10, after_seq=newest.seq) == [later]


def test_pages_by_seq_both_ways(store, room):
    sent = [store.add_chat(room.id, "#bf4082", chat=f"m{n}") for n in range(7)]
    assert store.chats(room.id, limit=3, after_seq=0) == sent[:3]
    assert store.chats(room.id, limit=3, after_seq=sent[2].seq) == sent[3:6]
    assert store.chats(room.id, limit=3, before_seq=sent[3].seq) == sent[2::-1]
    assert store.chats(room.id, limit=3, before_seq=1) == []
    assert store.chats(room.id, limit=3, after_seq=sent[-1].seq) == []
    # An id stands for its seq.
    assert store.chats(room.id, limit=3, after=sent[2].id) == sent[3:6]
    assert store.chats(room.id, limit=3, before=sent[3].id) == sent[2::-1]


def test_paging_by_after_seq_gives_every_message_once_in_order(store, room):
    """The reconnecting page's walk: from seq 0 until an empty page, deletions and whispers
    between, the cursor being the last seq of each page."""
    sent = []
    for n in range(23):
        whisper = {"to": "#00ff00", "user_key": "ka", "to_key": "kb"} if n % 5 == 0 else {}
        sent.append(store.add_chat(room.id, "#bf4082", chat=f"m{n}", **whisper))
    store.delete_chat(sent[7].id)
    store.delete_chat(sent[-1].id)
    walked, seq = [], 0
    for _ in range(len(sent)):  # bounded: each page moves the cursor on
        page = store.chats(room.id, limit=4, after_seq=seq, viewer_key="kc")
        if not page:
            break
        walked += page
        seq = page[-1].seq
    expected = [chat for chat in sent[:-1] if chat is not sent[7] and not chat.is_whisper]
    assert walked == expected
    assert len({chat.id for chat in walked}) == len(walked)


@pytest.mark.parametrize("seq", [-1, True, 1.5, "3", [3]], ids=repr)
def test_a_seq_cursor_that_is_not_a_whole_number_gives_nothing(store, room, seq):
    store.add_chat(room.id, "#bf4082", chat="hello")
    assert store.chats(room.id, limit=10, after_seq=seq) == []
    assert store.chats(room.id, limit=10, before_seq=seq) == []


@pytest.mark.parametrize(
    "cursors",
    [{"before_seq": 1, "after_seq": 1}, {"before": "0" * 24, "after_seq": 1},
     {"after": "0" * 24, "before_seq": 1}, {"before": "0" * 24, "before_seq": 1}],
)  # fmt: skip
def test_one_cursor_at_a_time(store, room, cursors):
    with pytest.raises(ValueError):
        store.chats(room.id, limit=10, **cursors)


# Editing: the text of a text message, marked with when.


def test_edit_chat_sets_the_text_and_when(store, room):
    chat = store.add_chat(room.id, "#bf4082", chat="helo", user_key="k1")
    store.toggle_reaction(chat.id, "👍", "k2")
    before = utcnow()
    edited = store.edit_chat(chat.id, "hello")
    assert (edited.id, edited.chat, edited.seq, edited.user_key) == (chat.id, "hello", 1, "k1")
    assert before <= edited.edited_at <= utcnow() and edited.edited_at.utcoffset() == timedelta(0)
    assert edited.reactions == (("👍", "k2"),)  # reactions kept, and given back
    assert edited.to_json()["editedAt"].endswith("Z")
    assert edited.to_json()["editedAt"] == edited.edited_at.isoformat(
        timespec="milliseconds"
    ).replace("+00:00", "Z")
    assert "editedAt" not in chat.to_json()
    # History, both ways, and search give the edited text.
    assert store.get_chat(chat.id) == edited
    assert store.chats(room.id, limit=10) == [edited]
    assert store.chats(room.id, limit=10, after_seq=0) == [edited]
    assert store.search_chats(room.id, "hello", limit=10) == [edited]
    assert store.search_chats(room.id, "helo", limit=10) == []


def test_only_text_messages_can_be_edited(store, room):
    gif = store.add_chat(room.id, "#bf4082", gif=f"{new_id()}.gif", user_key="k1")
    notice = store.add_chat(room.id, "system", chat="joined", kind="join", who="#bf4082")
    assert store.edit_chat(gif.id, "text now") is None
    assert store.edit_chat(notice.id, "forged") is None
    assert store.edit_chat(new_id(), "nobody") is None
    assert store.get_chat(gif.id) == gif and store.get_chat(notice.id) == notice


@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_edit_chat_with_a_malformed_id_is_none(store, room, bad):
    chat = store.add_chat(room.id, "#bf4082", chat="hello")
    assert store.edit_chat(bad, "changed") is None
    assert store.get_chat(chat.id) == chat


# Replies: the message answered, as it was, kept as given.


def test_a_reply_keeps_what_it_answers(store, room):
    first = store.add_chat(room.id, "#bf4082", chat="who wants popcorn?", handle="ab" * 8)
    quoted = {"_id": first.id, "handle": "ab" * 8, "name": "Mina", "excerpt": "who wants popcorn?"}
    reply = store.add_chat(room.id, "#00ff00", chat="me!", reply_to=quoted)
    assert reply.reply_to == quoted and reply.to_json()["replyTo"] == quoted
    [read] = store.chats(room.id, limit=1)
    assert read == reply and read.reply_to == quoted
    assert store.get_chat(reply.id).reply_to == quoted
    assert "replyTo" not in first.to_json()
    gif_reply = store.add_chat(
        room.id, "#00ff00", gif=f"{new_id()}.gif", reply_to={**quoted, "name": None}
    )
    assert store.get_chat(gif_reply.id).reply_to["name"] is None
    # The quote is a copy: it stays as it was when the original is edited or deleted.
    store.edit_chat(first.id, "changed")
    store.delete_chat(first.id)
    assert store.get_chat(reply.id).reply_to == quoted


# Search: a room's text messages containing a text, newest first, as history shows them.


def test_search_finds_substrings_in_any_case_and_script_newest_first(store, room):
    said = [
        store.add_chat(room.id, "#bf4082", chat=text)
        for text in ["Popcorn at eight", "no POPCORN left", "영화 보러 갈 사람?", "Привет всем"]
    ]
    assert store.search_chats(room.id, "popcorn", limit=10) == [said[1], said[0]]
    assert store.search_chats(room.id, "pOPc", limit=10) == [said[1], said[0]]
    assert store.search_chats(room.id, "보러 갈", limit=10) == [said[2]]
    assert store.search_chats(room.id, "러 갈", limit=10) == [said[2]]
    assert store.search_chats(room.id, "ПРИВЕТ", limit=10) == [said[3]]
    assert store.search_chats(room.id, "nothing like it", limit=10) == []


@pytest.mark.parametrize(
    "q, found",
    [("영화", ["영화 보러 갈 사람?"]), ("화", ["영화 보러 갈 사람?"]), ("at", ["Popcorn at eight"]),
     ("AT", ["Popcorn at eight"]), ("%", ["50% off"]), ("_", ["snake_case"]), ("\\", ["a\\b"]),
     ("é", ["ÉCOLE"]), ("да", ["Да"]), ("x", [])],
)  # fmt: skip
def test_search_of_one_or_two_characters(store, room, q, found):
    """Shorter than the index's trigrams: the room is scanned, the same rules holding."""
    for text in ["Popcorn at eight", "영화 보러 갈 사람?", "50% off", "snake_case", "a\\b"]:
        store.add_chat(room.id, "#bf4082", chat=text)
    for text in ["ÉCOLE", "Да"]:
        store.add_chat(room.id, "#bf4082", chat=text)
    assert [chat.chat for chat in store.search_chats(room.id, q, limit=10)] == found


def test_search_leaves_out_gifs_notices_and_other_rooms(store, room):
    other = store.create_room("Dogs", 10, "#000000", None)
    store.add_chat(other.id, "#bf4082", chat="popcorn elsewhere")
    store.add_chat(room.id, "system", chat="popcorn joined", kind="join", who="#bf4082")
    store.add_chat(room.id, "#bf4082", gif=f"{new_id()}.gif")
    mine = store.add_chat(room.id, "#bf4082", chat="popcorn here")
    assert store.search_chats(room.id, "popcorn", limit=10) == [mine]
    assert store.search_chats(room.id, "po", limit=10) == [mine]
    assert store.search_chats(new_id(), "popcorn", limit=10) == []


@pytest.mark.parametrize(
    "viewer_key, seen",
    [(None, ["secret? no, for all"]), ("ka", ["secret for b", "secret? no, for all"]),
     ("kb", ["secret for b", "secret? no, for all"]), ("kc", ["secret? no, for all"])],
)  # fmt: skip
@pytest.mark.parametrize("q", ["secret", "se"])
def test_search_shows_whispers_only_to_their_two_people(store, room, viewer_key, seen, q):
    store.add_chat(room.id, "#aaaaaa", chat="secret? no, for all", user_key="ka")
    store.add_chat(
        room.id, "#aaaaaa", chat="secret for b", to="#bbbbbb", user_key="ka", to_key="kb"
    )
    found = store.search_chats(room.id, q, limit=10, viewer_key=viewer_key)
    assert [chat.chat for chat in found] == seen


@pytest.mark.parametrize("q", ["popcorn", "po"])
def test_search_pages_by_before_seq_each_match_once(store, room, q):
    said = []
    for n in range(9):
        said.append(store.add_chat(room.id, "#bf4082", chat=f"popcorn {n}"))
        store.add_chat(room.id, "#bf4082", chat=f"nothing {n}")
    whisper = {"to": "#00ff00", "user_key": "ka", "to_key": "kb"}
    store.add_chat(room.id, "#bf4082", chat="popcorn whispered", **whisper)
    pages, before = [], None
    for _ in range(10):  # bounded: each page moves the cursor back
        page = store.search_chats(room.id, q, limit=4, before_seq=before, viewer_key="kc")
        if not page:
            break
        pages.append(page)
        before = page[-1].seq
    assert [len(page) for page in pages] == [4, 4, 1]
    assert [chat for page in pages for chat in page] == said[::-1]


def test_search_forgets_deleted_messages_and_deleted_rooms(store, room):
    gone = store.add_chat(room.id, "#bf4082", chat="popcorn gone")
    kept = store.add_chat(room.id, "#bf4082", chat="popcorn kept")
    store.delete_chat(gone.id)
    assert store.search_chats(room.id, "popcorn", limit=10) == [kept]
    store.delete_room(room.id)
    assert store.search_chats(room.id, "popcorn", limit=10) == []


@pytest.mark.parametrize("bad", [None, "", 7, ["popcorn"]], ids=repr)
def test_search_for_nothing_finds_nothing(store, room, bad):
    store.add_chat(room.id, "#bf4082", chat="popcorn")
    assert store.search_chats(room.id, bad, limit=10) == []


@pytest.mark.parametrize("bad", MALFORMED, ids=repr)
def test_search_in_a_malformed_room_finds_nothing(store, room, bad):
    store.add_chat(room.id, "#bf4082", chat="popcorn")
    assert store.search_chats(bad, "popcorn", limit=10) == []


@pytest.mark.parametrize("seq", [-1, True, 1.5, "3"], ids=repr)
def test_search_before_a_seq_that_is_not_a_whole_number_finds_nothing(store, room, seq):
    store.add_chat(room.id, "#bf4082", chat="popcorn")
    assert store.search_chats(room.id, "popcorn", limit=10, before_seq=seq) == []


def test_search_takes_query_syntax_as_text(store, room):
    """Quotes, operators and stars are searched for, never obeyed."""
    said = [store.add_chat(room.id, "#bf4082", chat=t) for t in ['say "hi" OR NOT', "a*b (c)"]]
    assert store.search_chats(room.id, '"hi" OR', limit=10) == [said[0]]
    assert store.search_chats(room.id, "a*b (c)", limit=10) == [said[1]]
    assert store.search_chats(room.id, "NOT", limit=10) == [said[0]]
    assert store.search_chats(room.id, ".*", limit=10) == []
