"""History by the room's one order: seq on every message, and pages by after_seq/before_seq."""

import pytest

NOT_A_NUMBER = "메시지 번호가 올바르지 않습니다."
NOT_BOTH = "이전 메시지와 이후 메시지를 한꺼번에 요청할 수 없습니다."


def page(person, room_id, **params):
    response = person.client.get(f"/room/{room_id}/chats", query_string=params)
    assert response.status_code == 200, response.text
    return response.json["chats"]


def test_every_message_carries_its_place_in_the_room(room):
    owner, room_id = room
    sent = [owner.post_chat(room_id, f"m{n}").json for n in range(3)]
    join_notice = page(owner, room_id)[-1]
    assert join_notice["kind"] == "join" and join_notice["seq"] == 1
    assert [chat["seq"] for chat in sent] == [2, 3, 4]
    assert [chat["seq"] for chat in page(owner, room_id)] == [4, 3, 2, 1]


def test_catching_up_by_seq_gets_every_later_message_once_in_order(room, visitor, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 3
    bob = visitor()
    bob.join(room_id)
    last_seen = page(bob, room_id)[0]["seq"]
    sent = [owner.post_chat(room_id, f"m{n}").json for n in range(8)]
    caught, seq = [], last_seen
    for _ in range(10):  # bounded: each page moves the cursor on
        got = page(bob, room_id, after_seq=seq)
        if not got:
            break
        caught += got
        seq = got[-1]["seq"]
    assert caught == sent
    assert page(bob, room_id, after_seq=0)[0]["kind"] == "join"  # from the very start


def test_older_pages_by_seq_and_by_id_agree(room, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 2
    sent = [owner.post_chat(room_id, f"m{n}").json for n in range(5)]
    by_seq = page(owner, room_id, before_seq=sent[3]["seq"])
    assert [chat["chat"] for chat in by_seq] == ["m2", "m1"]
    assert page(owner, room_id, before=sent[3]["_id"]) == by_seq
    assert page(owner, room_id, after=sent[1]["_id"]) == page(
        owner, room_id, after_seq=sent[1]["seq"]
    )


def test_a_deleted_message_costs_no_one_a_later_message(room, visitor):
    """Its seq is never given again, so a page that saw it still gets what follows."""
    owner, room_id = room
    newest = owner.post_chat(room_id, "regret").json
    gone = owner.send(f"/room/{room_id}/chat/{newest['_id']}", None, method="DELETE")
    assert gone.status_code == 204
    later = owner.post_chat(room_id, "later").json
    assert later["seq"] == newest["seq"] + 1
    assert page(owner, room_id, after_seq=newest["seq"]) == [later]


@pytest.mark.parametrize("seq", ["", "-1", "1.5", "x", "1e3", " 1", "٣", "9" * 19])
@pytest.mark.parametrize("name", ["after_seq", "before_seq"])
def test_a_seq_that_is_not_a_whole_number_is_400(room, name, seq):
    owner, room_id = room
    response = owner.client.get(f"/room/{room_id}/chats", query_string={name: seq})
    assert (response.status_code, response.json) == (
        400,
        {"error": NOT_A_NUMBER, "code": "invalid"},
    )


@pytest.mark.parametrize(
    "params",
    [{"after_seq": "1", "before_seq": "3"}, {"after": "0" * 24, "after_seq": "1"},
     {"before": "0" * 24, "after_seq": "1"}, {"after": "0" * 24, "before_seq": "1"}],
)  # fmt: skip
def test_two_cursors_at_once_are_400(room, params):
    owner, room_id = room
    response = owner.client.get(f"/room/{room_id}/chats", query_string=params)
    assert (response.status_code, response.json) == (400, {"error": NOT_BOTH, "code": "invalid"})


def test_an_unknown_message_id_gives_an_empty_page(room, visitor):
    owner, room_id = room
    owner.post_chat(room_id, "hello")
    elsewhere_id = visitor().create_room("Elsewhere")
    assert page(owner, room_id, after="0" * 24) == []
    assert page(owner, room_id, before=elsewhere_id) == []


def test_paging_by_seq_is_for_admitted_sessions_only(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    alice.join(room_id)
    alice.post_chat(room_id, "private")
    response = bob.client.get(f"/room/{room_id}/chats", query_string={"after_seq": "0"})
    assert response.status_code == 403 and "private" not in response.text


def test_history_carries_edits_and_replies_both_ways(room, store):
    owner, room_id = room
    first = owner.post_chat(room_id, "helo").json
    store.edit_chat(first["_id"], "hello")
    quoted = {"_id": first["_id"], "handle": owner.handle, "name": None, "excerpt": "hello"}
    reply = store.add_chat(room_id, owner.color, chat="again", reply_to=quoted)
    latest = page(owner, room_id)
    assert latest[0]["replyTo"] == quoted and latest[0]["seq"] == reply.seq
    assert latest[1]["chat"] == "hello" and latest[1]["editedAt"].endswith("Z")
    assert page(owner, room_id, after_seq=first["seq"] - 1)[:2] == latest[1::-1]
