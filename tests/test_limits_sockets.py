"""Rate limits on Socket.IO: joins per socket and per visitor, handshakes per address."""

import pytest

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


@pytest.fixture
def config(config):
    config["RATELIMIT_ENABLED"] = True  # the defaults of app/config.py, unless a test says
    return config


@pytest.fixture
def few_handshakes(config):
    config["RATELIMIT_HANDSHAKE"] = "3 per 10 seconds"  # each allowed one opens a real session


@pytest.fixture
def limits_off(config):
    config["RATELIMIT_ENABLED"] = False


def join(sock, room_id):
    return sock.emit("join", room_id, namespace="/chat", callback=True)


def notices(store, room_id, kind="join"):
    return [chat for chat in store.chats(room_id, limit=200) if chat.kind == kind]


def test_a_socket_switching_rooms_like_a_script_is_refused_with_the_wait(visitor, store, clock):
    alice = visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(2)]
    for room in rooms:
        alice.enter(room)
    sock = alice.socket()
    acks = [join(sock, rooms[n % 2]) for n in range(8)]
    assert [ack.get("ok") for ack in acks] == [True] * 5 + [None] * 3
    assert "방을 너무 빨리 옮겨" in acks[-1]["error"] and "초 후에" in acks[-1]["error"]
    assert acks[-1]["code"] == "rate-limited"
    assert sock.is_connected("/chat")  # refused, not cut off
    clock.advance(11)
    assert join(sock, rooms[0])["ok"] is True


def test_a_person_moving_between_rooms_is_never_limited(visitor, clock):
    alice = visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(3)]
    for room in rooms:
        alice.enter(room)
    sock = alice.socket()
    for n in range(20):  # a room every three seconds for a minute, on one page
        assert join(sock, rooms[n % 3])["ok"] is True
        clock.advance(3)


def test_new_sockets_do_not_escape_the_visitors_join_limit(visitor, clock):
    alice, bob = visitor(), visitor()
    room = alice.create_room()
    bob.enter(room)
    acks = [join(alice.socket(), room) for _ in range(22)]
    assert [ack.get("ok") for ack in acks] == [True] * 20 + [None] * 2
    assert "방을 너무 빨리 옮겨" in acks[-1]["error"]
    assert join(bob.socket(), room)["ok"] is True  # someone else is not limited


def test_a_refused_join_announces_nothing(visitor, store, clock):
    alice, bob = visitor(), visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(2)]
    bob.join(rooms[0])
    for room in rooms:
        alice.enter(room)
    sock = alice.socket()
    for n in range(12):
        join(sock, rooms[n % 2])
    assert len(notices(store, rooms[0])) == 1 + 3  # bob, then alice's three admitted joins


def test_handshakes_past_the_limit_get_429_before_any_session(few_handshakes, app, clock):
    client = app.test_client()
    answers = [client.get(HANDSHAKE) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 11
    assert "이 주소에서 연결이 너무 많습니다" in refused.json["error"]
    assert refused.json["code"] == "rate-limited"
    assert client.get(HANDSHAKE, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    clock.advance(11)
    assert client.get(HANDSHAKE).status_code == 200


def test_requests_of_an_open_connection_are_not_handshakes(few_handshakes, app, clock):
    client = app.test_client()
    for _ in range(3):
        client.get(HANDSHAKE)
    # Polls of an existing session (unknown here: 400 from Engine.IO) are not counted or refused.
    assert client.get(f"{HANDSHAKE}&sid=nosuchsession").status_code == 400


def test_handshakes_behind_a_proxy_count_the_forwarded_address(
    make_app, few_handshakes, config, clock
):

    config["PROXY_COUNT"] = 1
    client = make_app(config).test_client()
    for _ in range(3):
        client.get(HANDSHAKE, headers={"X-Forwarded-For": "198.51.100.1"})
    assert client.get(HANDSHAKE, headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    assert client.get(HANDSHAKE, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_handshake_refusals_speak_the_visitors_language(few_handshakes, app, clock):
    client = app.test_client()
    english = {"Accept-Language": "en"}
    answers = [client.get(HANDSHAKE, headers=english) for _ in range(4)]
    wait = answers[-1].headers["Retry-After"]
    assert answers[-1].json["error"] == (
        f"Too many connections from your address. Try again in {wait} seconds."
    )


def test_socket_limits_can_be_turned_off(limits_off, few_handshakes, app, visitor, clock):
    alice = visitor()
    room = alice.create_room()
    sock = alice.socket()
    assert all(join(sock, room).get("ok") for _ in range(30))
    client = app.test_client()
    assert all(client.get(HANDSHAKE).status_code == 200 for _ in range(5))
