"""Rate limits on reacting, deleting and the bytes of GIFs: a script meets 429, a person never."""

import pytest

from app.protection.limits import BYTES_UNIT, in_byte_units
from harness.gifs import gif, heavy_gif

from .test_limits_http import retry_after


@pytest.fixture
def config(config):
    config["RATELIMIT_ENABLED"] = True  # the defaults of app/config.py from here on
    config["GIF_DECODER"] = "thread"  # quicker, and the limits are the same
    return config


@pytest.fixture
def chatting(visitor, clock):
    """Alice's room, Alice and Bob in it, and a message of Alice's to act on."""
    alice, bob = visitor(), visitor()
    room = alice.create_room()
    alice.join(room)  # only people in the room may act
    bob.join(room)
    chat_id = alice.post_chat(room, "hello").json["_id"]
    return room, alice, bob, chat_id


def react(person, room, chat_id, emoji="👍"):
    return person.send(f"/room/{room}/chat/{chat_id}/reactions", {"emoji": emoji})


def delete(person, room, chat_id):
    return person.send(f"/room/{room}/chat/{chat_id}", None, method="DELETE")


def test_a_person_reacting_every_few_seconds_is_never_limited(chatting, clock):
    room, alice, bob, chat_id = chatting
    for _ in range(40):  # on and off, every three seconds for two minutes
        assert react(bob, room, chat_id).status_code == 200
        clock.advance(3)
    for emoji in ["👍", "❤️", "😂", "😮", "😢", "🎉"]:  # then all of them at once
        assert react(bob, room, chat_id, emoji).status_code == 200


def test_a_script_toggling_reactions_gets_429_with_retry_after(chatting, clock, store):
    room, alice, bob, chat_id = chatting
    answers = [react(bob, room, chat_id) for _ in range(25)]
    assert [a.status_code for a in answers] == [200] * 20 + [429] * 5
    refused = answers[-1]
    assert "반응을 너무 빨리" in refused.json["error"]
    assert 1 <= retry_after(refused) <= 11
    assert f"{retry_after(refused)}초 후" in refused.json["error"]
    assert store.get_chat(chat_id).reaction_counts() == {}  # 20 toggles: taken back
    assert react(alice, room, chat_id).status_code == 200  # per visitor
    clock.advance(retry_after(refused))
    assert react(bob, room, chat_id).status_code == 200


def test_a_script_deleting_messages_gets_429_with_retry_after(chatting, clock, store):
    room, alice, bob, _ = chatting
    mine = []
    for n in range(25):
        mine.append(alice.post_chat(room, f"message {n}").json["_id"])
        clock.advance(1)  # within the chat limit
    answers = [delete(alice, room, chat_id) for chat_id in mine]
    assert [a.status_code for a in answers] == [204] * 20 + [429] * 5
    refused = answers[-1]
    assert "메시지를 너무 빨리 지우고" in refused.json["error"]
    assert f"{retry_after(refused)}초 후" in refused.json["error"]
    assert all(store.get_chat(chat_id) is not None for chat_id in mine[20:])  # kept
    theirs = bob.post_chat(room, "mine").json["_id"]
    assert delete(bob, room, theirs).status_code == 204  # per visitor
    clock.advance(retry_after(refused))
    assert delete(alice, room, mine[20]).status_code == 204


def test_an_owner_tidying_up_now_and_then_is_never_limited(chatting, clock):
    room, alice, bob, _ = chatting
    for n in range(30):
        chat_id = bob.post_chat(room, f"spam {n}").json["_id"]
        assert delete(alice, room, chat_id).status_code == 204
        clock.advance(2)


def padded(data: bytes, size: int) -> bytes:
    """data, with bytes after its end up to `size`: a legal GIF of that size, decoded quickly."""
    return data + b"\0" * (size - len(data))


@pytest.fixture
def one_mib_an_hour(config):
    config["RATELIMIT_GIF_BYTES"] = "1 MiB per hour"


def test_a_visitor_uploading_too_many_bytes_gets_429(one_mib_an_hour, chatting, clock):
    room, alice, bob, _ = chatting
    big = padded(heavy_gif(4096, 4), 420_000)  # seven 64 KiB blocks of the 16 in 1 MiB
    answers = []
    for _ in range(3):
        answers.append(alice.post_gif(room, big))
        clock.advance(60)  # within the upload count
    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1]
    assert "GIF 데이터를 너무 많이" in refused.json["error"]
    assert retry_after(refused) > 60 * 50  # until the first upload is an hour old
    assert alice.post_gif(room, gif()).status_code == 201  # a small one still fits
    assert bob.post_gif(room, big).status_code == 201  # per visitor
    clock.advance(3600)
    assert alice.post_gif(room, big).status_code == 201


def test_a_person_sharing_big_gifs_all_hour_stays_within_the_bytes(chatting, clock):
    room, alice, _, _ = chatting
    picture = padded(gif(200, 200, frames=5), 1_000_000)
    for _ in range(40):  # a 1 MB GIF every 90 seconds for an hour
        assert alice.post_gif(room, picture).status_code == 201
        clock.advance(40)


@pytest.mark.parametrize(
    "setting, limits",
    [
        ("100 MiB per hour", f"{100 * 1024 * 1024 // BYTES_UNIT} per hour"),
        ("1 GB per day; 64KiB per 1 minute", f"{10**9 // BYTES_UNIT} per day; 1 per 1 minute"),
        ("10 per hour", "1 per hour"),  # bytes, never less than one block
    ],
)
def test_byte_limits_read_like_the_others(setting, limits):
    assert in_byte_units(setting) == limits


@pytest.mark.parametrize("setting", ["lots per hour", "100 MiB", "100 TB per hour", ""])
def test_a_byte_limit_that_is_not_one_is_refused(setting):
    with pytest.raises(ValueError):
        in_byte_units(setting)


def test_a_server_with_a_byte_limit_that_is_not_one_does_not_start(make_app, config):
    with pytest.raises(ValueError, match="not an amount of bytes"):
        make_app({**config, "RATELIMIT_GIF_BYTES": "lots per hour"})
