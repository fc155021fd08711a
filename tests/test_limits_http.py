"""Rate limits on routes: a script is stopped with 429 and Retry-After; a person never is."""

import json

import pytest
import requests
import socketio

from harness.cluster import redis_server  # noqa: F401 (a fixture)
from harness.gifs import gif
from harness.live_server import WAIT, LiveServer, Person, running

from .conftest import Visitor


@pytest.fixture
def config(config):
    config["RATELIMIT_ENABLED"] = True  # the defaults of app/config.py from here on
    return config


@pytest.fixture
def behind_a_proxy(config):
    config["PROXY_COUNT"] = 1


@pytest.fixture
def limits_off(config):
    config["RATELIMIT_ENABLED"] = False


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def post_room(person, title="room", **environ):
    return person.client.post(
        "/room",
        data={"title": title, "csrf_token": person.csrf},
        headers={"Referer": "http://localhost/room"},
        environ_base=environ,
    )


def guess(person, room_id, password, **environ):
    return person.client.post(
        f"/room/{room_id}/password",
        data={"password": password, "csrf_token": person.csrf},
        environ_base=environ,
    )


def test_a_person_chatting_every_second_for_a_minute_is_never_limited(visitor, clock):
    alice = visitor()
    room = alice.create_room()
    alice.join(room)  # only people in the room may post
    for n in range(60):
        assert alice.post_chat(room, f"message {n}").status_code == 201
        clock.advance(1)
    for n in range(5):  # then a quick burst: "ok", "yes", "lol"...
        assert alice.post_chat(room, f"burst {n}").status_code == 201


def test_a_script_posting_chats_gets_429_with_retry_after(visitor, store, clock):
    alice = visitor()
    room = alice.create_room()
    alice.join(room)  # only people in the room may post
    answers = [alice.post_chat(room, f"spam {n}") for n in range(25)]
    assert [a.status_code for a in answers] == [201] * 20 + [429] * 5
    refused = answers[-1]
    assert refused.is_json and "메시지를 너무 빨리" in refused.json["error"]
    assert 1 <= retry_after(refused) <= 11  # the window, and a moment
    assert f"{retry_after(refused)}초 후" in refused.json["error"]
    assert len([c for c in store.chats(room, limit=100) if c.user != "system"]) == 20
    clock.advance(retry_after(refused))
    assert alice.post_chat(room, "after the wait").status_code == 201


def test_the_chat_limit_is_per_visitor(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room()
    alice.join(room)  # only people in the room may post
    bob.join(room)
    answers = [alice.post_chat(room, "spam").status_code for _ in range(25)]
    assert answers[-1] == 429
    assert bob.post_chat(room, "hello").status_code == 201


@pytest.fixture
def small_backstops(config):
    config.update(
        RATELIMIT_CHAT_PER_ADDRESS="30 per minute", RATELIMIT_GIF_PER_ADDRESS="3 per minute"
    )


def test_a_script_taking_new_sessions_meets_the_address_backstop(small_backstops, visitor, clock):
    alice = visitor()
    room = alice.create_room()
    answers = []
    for _ in range(3):  # a new visitor every 15 posts, each under the visitor's own limit
        script = visitor()
        script.join(room)
        answers += [script.post_chat(room, "spam").status_code for _ in range(15)]
        answers += [script.post_gif(room, gif()).status_code for _ in range(2)]
        clock.advance(11)
    assert answers.count(429) == 15 + 3
    refused = visitor()
    refused.join(room)
    answer = refused.post_chat(room, "spam")
    assert answer.status_code == 429 and "이 주소에서 메시지를 너무 많이" in answer.json["error"]
    assert (
        refused.post_chat(room, "hi", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 201
    )


def test_gif_uploads_are_limited_per_visitor(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room()
    alice.join(room)  # only people in the room may post
    bob.join(room)
    for _ in range(18):  # a GIF every ten seconds for three minutes
        assert alice.post_gif(room, gif()).status_code == 201
        clock.advance(10)
    answers = [alice.post_gif(room, gif()).status_code for _ in range(12)]
    assert answers.count(429) >= 1 and answers[-1] == 429
    refused = alice.post_gif(room, gif())
    assert "GIF를 너무 빨리" in refused.json["error"] and retry_after(refused) >= 1
    assert bob.post_gif(room, gif()).status_code == 201


def test_creating_rooms_too_fast_flashes_the_wait_on_the_way_back(visitor, store, clock):
    alice, bob = visitor(), visitor()
    answers = [post_room(alice, f"room {n}") for n in range(6)]
    assert [a.status_code for a in answers] == [302] * 6
    refused = answers[-1]
    assert refused.headers["Location"] == "http://localhost/room"  # back to the form
    assert 1 <= retry_after(refused) <= 61
    assert "방을 너무 빨리 만들고" in alice.client.get("/room").text
    assert len(store.list_rooms()) == 5
    assert post_room(bob).headers["Location"].startswith("/room/")  # someone else may
    clock.advance(retry_after(refused))
    assert post_room(alice).headers["Location"].startswith("/room/")


def test_creating_rooms_is_limited_per_address_too(visitor, store, clock):
    people = [visitor() for _ in range(5)]
    for person in people:
        for n in range(4):
            assert post_room(person, f"room {n}").headers["Location"].startswith("/room/")
    newcomer = visitor()
    refused = post_room(newcomer)
    assert refused.headers["Location"] == "http://localhost/room" and retry_after(refused) >= 1
    assert "이 주소에서 방을 너무 많이" in newcomer.client.get("/room").text
    elsewhere = post_room(newcomer, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.headers["Location"].startswith("/room/")
    assert len(store.list_rooms()) == 21


def test_the_room_form_is_never_limited(visitor, clock):
    alice = visitor()
    for _ in range(30):
        assert alice.client.get("/room").status_code == 200


def test_a_password_lockout_refuses_the_right_password_until_it_ends(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="open sesame")
    for n in range(10):
        assert guess(bob, room, f"guess {n}").status_code == 403
        clock.advance(1)
    refused = guess(bob, room, "open sesame")
    assert refused.status_code == 429
    assert 'class="error"' in refused.text and "비밀번호를 너무 많이 시도했습니다." in refused.text
    assert f"{retry_after(refused)}초 후" in refused.text
    assert 'name="password"' in refused.text  # the form again, to try once the wait is over
    assert 'name="password"' in bob.enter(room).text  # still not let in
    clock.advance(retry_after(refused))
    assert guess(bob, room, "open sesame").headers["Location"] == f"/room/{room}"


def test_a_lockout_is_per_address_and_room(visitor, clock):
    alice, bob = visitor(), visitor()
    room, other = alice.create_room(password="pw"), alice.create_room(password="pw")
    for _ in range(10):
        guess(bob, room, "wrong")
    assert guess(bob, room, "pw").status_code == 429
    assert guess(bob, room, "pw", REMOTE_ADDR="192.0.2.7").status_code == 302
    assert guess(bob, other, "pw").status_code == 302


def test_a_lockout_speaks_the_visitors_language(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="pw")
    bob.client.post("/lang", data={"lang": "en", "next": "/", "csrf_token": bob.csrf})
    for _ in range(10):
        guess(bob, room, "wrong")
    refused = guess(bob, room, "pw")
    wait = retry_after(refused)
    assert f"Too many password attempts. Try again in {wait} seconds." in refused.text


def test_json_clients_get_json_from_every_limit(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="pw")
    for _ in range(10):
        guess(bob, room, "wrong")
    refused = bob.send(f"/room/{room}/password", {"password": "pw"})
    assert refused.status_code == 429 and set(refused.json) == {"error", "code"}
    assert refused.json["code"] == "rate-limited"
    assert retry_after(refused) >= 1


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(
    behind_a_proxy, visitor, clock
):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="pw")
    for _ in range(10):
        guess(bob, room, "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert guess(bob, room, "pw", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert guess(bob, room, "pw", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_without_a_proxy_a_forged_forwarded_address_changes_nothing(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="pw")
    for n in range(10):
        guess(bob, room, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert guess(bob, room, "pw", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_every_refusal_is_reported(visitor, clock, monkeypatch):
    import app.protection.limits

    seen = []
    monkeypatch.setattr(app.protection.limits, "on_refusal", seen.append)
    alice = visitor()
    room = alice.create_room(password="pw")
    for _ in range(21):
        alice.post_chat(room, "spam")
    for _ in range(11):
        guess(alice, room, "wrong")
    assert seen == ["chat", "password"]


def test_limits_can_be_turned_off(limits_off, visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room(password="pw")
    alice.join(room)  # only people in the room may post
    assert all(alice.post_chat(room, "spam").status_code == 201 for _ in range(30))
    for _ in range(15):
        guess(bob, room, "wrong")
    assert guess(bob, room, "pw").status_code == 302
    assert all(post_room(alice).status_code == 302 for _ in range(10))


def test_with_redis_the_counts_outlive_the_process(make_app, config, redis_server):  # noqa: F811
    config["REDIS_URL"] = redis_server.url
    first = make_app(config)
    alice = Visitor(first)
    assert all(post_room(alice).status_code == 302 for _ in range(5))  # five rooms a minute
    # Another process on the same Redis (here: a new app) knows what alice has done.
    second = make_app(config).test_client()
    second.set_cookie("session", alice.client.get_cookie("session").value)
    refused = second.post(
        "/room",
        data={"title": "one more", "csrf_token": alice.csrf},
        headers={"Accept": "application/json"},  # the refusal itself, not the page's redirect
    )
    assert refused.status_code == 429 and retry_after(refused) >= 1


class LimitedServer(LiveServer):
    """The production server with its default rate limits, and a small handshake limit."""

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_RATELIMIT_ENABLED"] = "true"
        env["GIFCHAT_RATELIMIT_HANDSHAKE"] = json.dumps("3 per minute")
        return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("limited"), 10, server_class=LimitedServer) as live:
        yield live


@pytest.mark.server
def test_the_production_server_locks_a_guesser_out(server):
    owner, guesser = Person(server), Person(server)
    try:
        room = owner.create_room(password="open sesame")
        url = f"{server.url}/room/{room}/password"

        def attempt(password):
            data = {"password": password, "csrf_token": guesser.csrf}
            return guesser.http.post(url, data=data, allow_redirects=False, timeout=WAIT)

        assert [attempt(f"guess {n}").status_code for n in range(10)] == [403] * 10
        refused = attempt("open sesame")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert "비밀번호를 너무 많이 시도했습니다." in refused.text
    finally:
        owner.close()
        guesser.close()


@pytest.mark.server
def test_the_production_server_refuses_handshakes_past_the_limit(server):
    with requests.Session() as http:
        handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
        assert [http.get(handshake, timeout=WAIT).status_code for _ in range(3)] == [200] * 3
        refused = http.get(handshake, timeout=WAIT)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "연결이 너무 많습니다" in refused.json()["error"]
    visitor = Person(server)  # with a session, so nothing but the limit refuses it
    client = socketio.Client(reconnection=False)
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):  # a websocket is refused too
            client.connect(
                server.url,
                headers={"Cookie": visitor.cookie},
                namespaces=["/chat"],
                transports=["websocket"],
                wait_timeout=WAIT,
            )
    finally:
        client.disconnect()
        visitor.close()
