"""Search in a room: GET /room/<id>/chats?q=..., as history shows messages, newest first."""

import pytest

TOO_LONG_OR_EMPTY = "검색어는 1~100자로 입력하세요."


def search(person, room_id, q, **params):
    return person.client.get(f"/room/{room_id}/chats", query_string={"q": q, **params})


def found(person, room_id, q, **params) -> list[str]:
    response = search(person, room_id, q, **params)
    assert response.status_code == 200, response.text
    return [chat["chat"] for chat in response.json["chats"]]


def test_search_finds_text_messages_newest_first_in_any_case_and_script(room):
    owner, room_id = room
    for text in ["Popcorn at eight", "영화 보러 갈 사람?", "no POPCORN left", "see you"]:
        owner.post_chat(room_id, text)
    assert found(owner, room_id, "popcorn") == ["no POPCORN left", "Popcorn at eight"]
    assert found(owner, room_id, "  보러  ") == ["영화 보러 갈 사람?"]  # trimmed
    assert found(owner, room_id, "영화") == ["영화 보러 갈 사람?"]
    assert found(owner, room_id, "입장") == []  # notices are not searched
    chat = search(owner, room_id, "see").json["chats"][0]
    assert {"_id", "room", "seq", "user", "chat", "createdAt"} <= chat.keys()


def test_search_pages_with_before_seq_and_before(room, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 2
    sent = [owner.post_chat(room_id, f"popcorn {n}").json for n in range(5)]
    first = search(owner, room_id, "popcorn").json["chats"]
    assert [chat["chat"] for chat in first] == ["popcorn 4", "popcorn 3"]
    assert found(owner, room_id, "popcorn", before_seq=first[-1]["seq"]) == [
        "popcorn 2",
        "popcorn 1",
    ]
    assert found(owner, room_id, "popcorn", before=sent[1]["_id"]) == ["popcorn 0"]
    assert found(owner, room_id, "popcorn", before="0" * 24) == []


def test_search_shows_ones_own_whispers_and_never_other_peoples(trio):
    room_id, (alice, bob, carol), _ = trio
    alice.whisper(room_id, bob.handle, "secret popcorn plan")
    alice.post_chat(room_id, "popcorn for all")
    assert found(alice, room_id, "popcorn") == ["popcorn for all", "secret popcorn plan"]
    assert found(bob, room_id, "popcorn") == ["popcorn for all", "secret popcorn plan"]
    assert found(carol, room_id, "popcorn") == ["popcorn for all"]
    assert found(carol, room_id, "se") == []
    assert "secret" not in search(carol, room_id, "secret").text


def test_search_finds_the_edited_text(room, store):
    owner, room_id = room
    sent = owner.post_chat(room_id, "popcron").json
    store.edit_chat(sent["_id"], "popcorn")
    [chat] = search(owner, room_id, "popcorn").json["chats"]
    assert chat["chat"] == "popcorn" and chat["editedAt"].endswith("Z")
    assert found(owner, room_id, "popcron") == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 101, " " + "x" * 101])
def test_an_empty_or_too_long_search_is_400(room, q):
    owner, room_id = room
    response = search(owner, room_id, q)
    assert (response.status_code, response.json) == (
        400,
        {"error": TOO_LONG_OR_EMPTY, "code": "invalid"},
    )


def test_a_search_of_exactly_the_longest_length_is_answered(room):
    owner, room_id = room
    owner.post_chat(room_id, "y" * 100)
    assert found(owner, room_id, "y" * 100) == ["y" * 100]


@pytest.mark.parametrize("params", [{"after": "0" * 24}, {"after_seq": "0"}])
def test_a_search_pages_backwards_only(room, params):
    owner, room_id = room
    response = search(owner, room_id, "popcorn", **params)
    assert response.status_code == 400 and response.json["error"]


@pytest.mark.parametrize(
    "params, status",
    [({"before_seq": "x"}, 400), ({"before": "nope"}, 400),
     ({"before": "0" * 24, "before_seq": "3"}, 400)],
)  # fmt: skip
def test_a_search_with_a_bad_cursor_is_400(room, params, status):
    owner, room_id = room
    assert search(owner, room_id, "popcorn", **params).status_code == status


def test_search_is_for_admitted_sessions_only(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    alice.join(room_id)
    alice.post_chat(room_id, "private popcorn")
    response = search(bob, room_id, "popcorn")
    assert response.status_code == 403 and "private" not in response.text
    assert search(bob, "0" * 24, "popcorn").status_code == 404
