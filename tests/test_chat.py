"""Posting messages and GIFs, history, and serving GIFs, over HTTP."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from harness.gifs import HTML, gif, png

from .conftest import posted
from .pages import page_data


def test_chat_is_stored_answered_and_delivered_to_the_room(visitor, room, store):
    owner, room_id = room
    bob = visitor()
    listening = bob.join(room_id)
    listening.get_received("/chat")
    response = owner.post_chat(room_id, "  hello  ")
    assert response.status_code == 201
    chat = response.json
    assert (chat["room"], chat["user"], chat["chat"]) == (room_id, owner.color, "hello")
    # The sender's handle, and the owner's mark: the owner sent it.
    assert set(chat) == {"_id", "room", "seq", "user", "chat", "createdAt", "handle", "owner"}
    # ISO-8601 UTC to the millisecond, as JavaScript's Date.toISOString() writes it.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", chat["createdAt"])
    events = listening.get_received("/chat")
    assert [(e["name"], e["args"]) for e in events] == [("chat", [chat])]
    assert [c.id for c in posted(store, room_id)] == [chat["_id"]]


def test_chat_as_a_form_field(room):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat",
        data={"chat": "form", "csrf_token": owner.csrf},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201 and response.json["chat"] == "form"


def test_the_room_page_shows_the_latest_history_oldest_first(room, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 3
    for n in range(5):
        owner.post_chat(room_id, f"message {n}")
    page = owner.enter(room_id).text
    assert "message 1" not in page
    assert page.index("message 2") < page.index("message 3") < page.index("message 4")


def test_older_history_by_cursor(room, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 2
    ids = [owner.post_chat(room_id, f"m{n}").json["_id"] for n in range(5)]
    first = owner.client.get(f"/room/{room_id}/chats").json["chats"]
    assert [c["_id"] for c in first] == ids[:2:-1]
    older = owner.client.get(f"/room/{room_id}/chats?before={ids[3]}").json["chats"]
    assert [c["_id"] for c in older] == [ids[2], ids[1]]
    oldest = owner.client.get(f"/room/{room_id}/chats?before={ids[0]}").json["chats"]
    assert [chat["kind"] for chat in oldest] == ["join"]  # the owner's entry, before any message


@pytest.mark.parametrize("before", ["nope", "0" * 23, "G" * 24])
def test_history_with_a_bad_cursor_is_400(room, before):
    owner, room_id = room
    response = owner.client.get(f"/room/{room_id}/chats?before={before}")
    assert response.status_code == 400 and "error" in response.json


def test_history_is_for_admitted_sessions_only(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    alice.join(room_id)
    assert alice.post_chat(room_id, "private").status_code == 201
    response = bob.client.get(f"/room/{room_id}/chats", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert "private" not in response.text


@pytest.mark.parametrize(
    "body, kwargs",
    [
        pytest.param({"chat": ""}, {}, id="empty"),
        pytest.param({"chat": "   \n "}, {}, id="blank"),
        pytest.param({"chat": "x" * 1001}, {}, id="too-long"),
        pytest.param({"chat": 42}, {}, id="number"),
        pytest.param({"chat": ["a"]}, {}, id="list"),
        pytest.param({"chat": None}, {}, id="null"),
        pytest.param({}, {}, id="missing"),
        pytest.param(["chat"], {}, id="array-body"),
    ],
)
def test_bad_chats_are_refused_and_store_nothing(room, store, body, kwargs):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat", json=body, headers={"X-CSRFToken": owner.csrf}
    )
    assert response.status_code == 400
    assert response.json["error"]
    assert posted(store, room_id) == []


def test_a_thousand_characters_is_allowed(room):
    owner, room_id = room
    assert owner.post_chat(room_id, "가" * 1000).status_code == 201


def test_malformed_json_is_refused(room, store):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat",
        data="{not json",
        content_type="application/json",
        headers={"X-CSRFToken": owner.csrf},
    )
    assert response.status_code == 400 and response.json["error"]
    assert posted(store, room_id) == []


def test_chat_without_csrf_token_is_refused(room, store):
    owner, room_id = room
    response = owner.client.post(f"/room/{room_id}/chat", json={"chat": "hi"})
    assert response.status_code == 400 and response.json["error"]
    assert posted(store, room_id) == []


def test_chat_from_a_session_that_never_entered_is_403(visitor, room, store):
    owner, room_id = room
    stranger = visitor()
    response = stranger.post_chat(room_id, "let me in")
    assert response.status_code == 403 and response.json["error"]
    assert stranger.post_gif(room_id, gif()).status_code == 403
    assert posted(store, room_id) == []


@pytest.mark.parametrize("room_id", ["0" * 24, "bad"])
def test_chat_to_an_unknown_room_is_404(visitor, room_id):
    response = visitor().post_chat(room_id, "hi")
    assert response.status_code == 404 and response.json["error"]


def test_html_in_messages_is_rendered_as_text(room):
    owner, room_id = room
    owner.post_chat(room_id, "<img src=x onerror=alert(1)>")
    page = owner.enter(room_id).text
    assert "<img src=x" not in page
    assert page_data(page, "chats-data")[-1]["chat"] == "<img src=x onerror=alert(1)>"


def test_gif_upload_is_stored_served_and_delivered(visitor, room):
    owner, room_id = room
    bob = visitor()
    listening = bob.join(room_id)
    listening.get_received("/chat")
    data = gif(8, 8, frames=3)
    response = owner.post_gif(room_id, data, filename="../../etc/passwd.gif")
    assert response.status_code == 201
    chat = response.json
    assert chat["user"] == owner.color and "chat" not in chat
    assert chat["gif"].endswith(".gif") and "passwd" not in chat["gif"] and "/" not in chat["gif"]
    assert [(e["name"], e["args"]) for e in listening.get_received("/chat")] == [("chat", [chat])]
    served = bob.client.get(f"/gif/{chat['gif']}", buffered=True)
    assert served.status_code == 200
    assert served.data == data
    assert served.mimetype == "image/gif"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Length"] == str(len(data))
    again = bob.client.get(
        f"/gif/{chat['gif']}", buffered=True, headers={"If-None-Match": served.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_gif_is_cached_for_a_year_by_the_browser_only_and_dated(room):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    served = owner.client.get(f"/gif/{name}", buffered=True)
    cache = served.cache_control
    assert (cache.private, cache.public, cache.immutable) == (True, False, True)
    assert cache.max_age == 365 * 24 * 3600
    assert timedelta(0) <= datetime.now(UTC) - served.last_modified < timedelta(minutes=5)
    since = served.headers["Last-Modified"]
    assert (
        owner.client.get(
            f"/gif/{name}", buffered=True, headers={"If-Modified-Since": since}
        ).status_code
        == 304
    )


@pytest.mark.parametrize(
    "data, filename, content_type",
    [
        pytest.param(png(), "cat.gif", "image/gif", id="png-named-gif"),
        pytest.param(HTML, "page.gif", "image/gif", id="html-named-gif"),
        pytest.param(b"GIF89a" + HTML, "x.gif", "image/gif", id="gif-header-then-html"),
        pytest.param(b"", "empty.gif", "image/gif", id="empty"),
    ],
)
def test_uploads_that_are_not_gifs_are_refused(room, store, data, filename, content_type):
    owner, room_id = room
    response = owner.post_gif(room_id, data, filename=filename, content_type=content_type)
    assert response.status_code == 400
    assert response.json["error"]
    assert posted(store, room_id) == []


def test_upload_without_a_file_is_refused(room, store):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/gif",
        data={},
        headers={"X-CSRFToken": owner.csrf, "Accept": "application/json"},
    )
    assert response.status_code == 400 and response.json["error"]


# Six MiB passes MAX_CONTENT_LENGTH and is refused unread (413). Just over five fits it, which
# leaves room for the multipart envelope: it is the GIF check that refuses the file (400).
@pytest.mark.parametrize("mebibytes, status", [(6, 413), (5, 400)])
def test_an_oversized_gif_is_refused(room, store, mebibytes, status):
    owner, room_id = room
    response = owner.post_gif(room_id, gif() + b"\0" * (mebibytes * 1024 * 1024))
    assert response.status_code == status
    assert response.json == {"error": "파일이 너무 큽니다.", "code": "too-large"}
    assert posted(store, room_id) == []


def test_upload_without_csrf_token_is_refused(room, store):
    from io import BytesIO

    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/gif",
        data={"gif": (BytesIO(gif()), "a.gif")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert posted(store, room_id) == []


@pytest.mark.parametrize(
    "name", ["nothing.gif", "0" * 24 + ".gif", "..%2F..%2Fsetup.cfg", "%2e%2e", "a" * 300]
)
def test_unknown_or_path_like_gif_names_are_404(visitor, name):
    assert visitor().client.get(f"/gif/{name}", buffered=True).status_code == 404
