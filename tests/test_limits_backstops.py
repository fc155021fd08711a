"""Limits where a visitor, or many sessions of one address, found none (issue 21)."""

import pytest

from app.store.models import utcnow
from harness.gifs import gif

OTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}


@pytest.fixture
def config(config):
    config["RATELIMIT_ENABLED"] = True
    return config


@pytest.fixture
def tight(config, request):
    """The settings a test names (parametrized indirectly), as its own."""
    config.update(request.param)


def settings(**values):
    return pytest.mark.parametrize("tight", [values], indirect=True, ids=[""])


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


@settings(RATELIMIT_NAME="2 per minute")
@pytest.mark.usefixtures("english_first")
def test_renames_are_limited_with_the_wait(tight, visitor, clock):
    alice = visitor()
    assert [alice.rename(f"Alice {n}").status_code for n in range(2)] == [200, 200]
    refused = alice.rename("Alice 3")
    assert refused.status_code == 429 and 1 <= retry_after(refused) <= 61
    assert "changing your name too often" in refused.json["error"]
    assert alice.client.get("/me").json["name"] == "Alice 1"
    clock.advance(61)
    assert alice.rename("Alice 3").status_code == 200


def test_a_rename_tells_each_owned_rooms_lobby_once_and_reads_no_list_of_rooms(
    visitor, store, monkeypatch
):
    alice = visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(2)]
    visitor().create_room("someone else's")
    lobby = visitor().socket("/room")
    lobby.get_received("/room")

    def every_room():
        raise AssertionError("a rename read every room")

    monkeypatch.setattr(store, "list_rooms", every_room)
    assert alice.rename("Alice").status_code == 200
    told = [e["args"][0] for e in lobby.get_received("/room") if e["name"] == "owner"]
    assert sorted(t["_id"] for t in told) == sorted(rooms)
    assert {t["ownerName"] for t in told} == {"Alice"}
    assert alice.rename("Alice").status_code == 200  # the same name: nothing new to tell
    assert [e for e in lobby.get_received("/room") if e["name"] == "owner"] == []


def test_owned_rooms_are_found_by_owner(store):
    mine = store.create_room("mine", 5, "#abcdef", None, owner_key="k1")
    store.create_room("theirs", 5, "#abcdef", None, owner_key="k2")
    assert [room.id for room in store.owned_rooms("k1")] == [mine.id]
    assert store.owned_rooms("nobody") == []


@pytest.fixture
def chat_of_a_room(visitor):
    owner = visitor()
    room_id = owner.create_room()
    owner.join(room_id)
    return owner, room_id, owner.post_chat(room_id, "hello").json["_id"]


def newcomers(visitor, room_id, count):
    people = [visitor() for _ in range(count)]
    for person in people:
        person.join(room_id)
    return people


@settings(RATELIMIT_REACTION_PER_ADDRESS="3 per minute")
def test_reactions_of_many_sessions_of_one_address_meet_a_backstop(tight, visitor, chat_of_a_room):
    _owner, room_id, chat_id = chat_of_a_room
    people = newcomers(visitor, room_id, 4)
    path = f"/room/{room_id}/chat/{chat_id}/reactions"
    answers = [person.send(path, {"emoji": "👍"}).status_code for person in people]
    assert answers == [200, 200, 200, 429]
    assert people[-1].send(path, {"emoji": "👍"}, environ_base=OTHER_ADDRESS).status_code == 200


@settings(RATELIMIT_DELETE_PER_ADDRESS="2 per minute")
def test_deletes_of_many_sessions_of_one_address_meet_a_backstop(tight, visitor, chat_of_a_room):
    _owner, room_id, _chat_id = chat_of_a_room
    people = newcomers(visitor, room_id, 3)
    own = [person.post_chat(room_id, "mine").json["_id"] for person in people]
    answers = [
        person.send(f"/room/{room_id}/chat/{chat_id}", None, method="DELETE").status_code
        for person, chat_id in zip(people, own, strict=True)
    ]
    assert answers == [204, 204, 429]


@settings(RATELIMIT_JOIN_PER_ADDRESS="3 per minute")
def test_joins_of_many_sessions_of_one_address_meet_a_backstop(tight, visitor):
    owner = visitor()
    room_id = owner.create_room()
    people = [visitor() for _ in range(4)]
    acks = []
    for person in people:
        person.enter(room_id)
        acks.append(person.socket().emit("join", room_id, namespace="/chat", callback=True))
    assert [ack.get("ok") for ack in acks[:3]] == [True, True, True]
    assert "error" in acks[3] and "ok" not in acks[3]


@settings(RATELIMIT_TYPING_PER_VISITOR="2 per minute")
def test_typing_over_all_tabs_of_one_visitor_meets_a_backstop(tight, visitor):
    owner = visitor()
    room_id = owner.create_room()
    listener = owner.join(room_id)
    typist = visitor()
    tabs = [typist.join(room_id) for _ in range(3)]
    listener.get_received("/chat")
    for tab in tabs:
        assert tab.emit("typing", {"on": True}, namespace="/chat", callback=True) == {"ok": True}
    heard = [e for e in listener.get_received("/chat") if e["name"] == "typing"]
    assert len(heard) == 2  # the third tab's is dropped, though each tab is within its own


@settings(RATELIMIT_SESSION_PER_ADDRESS="2 per minute")
def test_new_sessions_per_address_are_bounded_and_the_refused_not_stored(
    tight, app, visitor, clock
):
    first, _second = visitor(), visitor()
    client = app.test_client()
    refused = client.get("/", headers={"Accept": "application/json"})
    assert refused.status_code == 429 and 1 <= retry_after(refused) <= 61
    assert "Set-Cookie" not in refused.headers
    assert refused.json["error"]
    page = client.get("/")  # a browser gets the error page, and no cookie either
    assert page.status_code == 429 and "Set-Cookie" not in page.headers
    assert retry_after(page) >= 1
    assert first.client.get("/").status_code == 200  # a visitor already known is not new
    assert client.get("/", environ_base=OTHER_ADDRESS).status_code == 200
    clock.advance(61)
    assert client.get("/").status_code == 200


@settings(RATELIMIT_GIF_BYTES="2 MiB per hour")
def test_sending_a_gif_again_costs_its_size(tight, visitor, store):
    alice = visitor()
    here, there = alice.create_room("here"), alice.create_room("there")
    alice.join(there)
    big = "0" * 32 + ".gif"
    store._insert_media(big, here, gif() + bytes(1024 * 1024 - len(gif())), utcnow())
    with alice.client.session_transaction() as session:
        key = session["user_key"]
    store.add_chat(here, alice.color, gif=big, user_key=key)  # she sent it there: hers to reuse
    answers = [alice.send(f"/room/{there}/gif", {"reuse": big}).status_code for _ in range(3)]
    assert answers == [201, 201, 429]  # a 1 MiB copy each, not a 50-byte body


@settings(RATELIMIT_GIF="1 per minute", GIF_DECODERS=1, GIF_DECODER_WAIT_SECONDS=0.05)
def test_busy_decoders_cost_the_visitor_nothing(tight, app, visitor):
    from app.offload import slot

    alice = visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    with app.test_request_context(), slot("gif", 1, 0, owner="192.0.2.99"):
        busy = alice.post_gif(room_id, gif())  # someone else's GIF decodes meanwhile
    assert busy.status_code == 503
    assert alice.post_gif(room_id, gif()).status_code == 201  # the 503 was not counted
    assert alice.post_gif(room_id, gif()).status_code == 429


def test_one_address_decodes_one_gif_at_a_time_while_others_go_first(app):
    from app.offload import Busy, slot

    with app.test_request_context():
        with slot("gif", 2, 0, owner="198.51.100.1"):
            with pytest.raises(Busy), slot("gif", 2, 0.05, owner="198.51.100.1"):
                pass  # the second decoder is free, but not for the same address
            with slot("gif", 2, 0, owner="198.51.100.2"):
                pass
        with slot("gif", 2, 0, owner="198.51.100.1"):  # its turn again once the first is done
            pass
        assert app.extensions["offload_turns"] == {}  # nobody waiting: nothing kept


@settings(NOTICE_FOLD_SECONDS=60)
def test_a_visitor_back_within_a_minute_comes_and_goes_without_notices(
    tight, visitor, store, clock
):
    owner = visitor()
    room_id = owner.create_room()
    listener = owner.join(room_id)
    bob = visitor()
    kinds = lambda: [c.kind for c in store.chats(room_id, limit=50) if c.kind]  # noqa: E731
    for _ in range(3):
        tab = bob.join(room_id)
        tab.disconnect(namespace="/chat")
    assert sorted(kinds()) == ["exit", "join", "join"]  # the owner's and bob's first, one exit
    heard = [e["name"] for e in listener.get_received("/chat")]
    assert heard.count("members") == 4 and heard.count("exit") == 1
    clock.advance(61)
    bob.join(room_id)
    assert kinds().count("join") == 3  # away longer: announced again
