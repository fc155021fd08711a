"""A Redis killed with -9 and restarted empty under two processes: nobody is lost or stranded.

Redis keeps only what the processes can rebuild. After it comes back empty, identities,
ownership and admissions are still there (sessions live in the database), the open pages'
sockets are back in presence without a reload, the lobby counts right, capacity holds, and
rooms waiting for their deletion are still removed. During the outage every socket event
is answered "busy" and every request 503, each with one log line and no traceback.
"""

import time

import pytest

pytest.importorskip("requests")
pytest.importorskip("websocket")  # websocket-client, for the websocket transport

import requests  # noqa: E402

from harness.cluster import RedisServer, start_cluster  # noqa: E402
from harness.live_server import WAIT, People, Person  # noqa: E402

from .waiting import wait_for  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]

GRACE = 3  # ROOM_EMPTY_GRACE_SECONDS of the processes under test
RECOVERY = 5  # from Redis answering again to a cluster that works as before


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cluster(tmp_path, redis):
    servers = start_cluster(tmp_path, redis.url, size=2, grace_seconds=GRACE)
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def on(cluster):
    """on(0)() and on(1)() make people whose browsers reach process 0 or process 1."""
    starts = [server.stderr_size() for server in cluster]
    factories = [People(server) for server in cluster]
    yield lambda number: factories[number]
    for factory in factories:
        factory.close()
    for server, start in zip(cluster, starts, strict=True):
        server.assert_healthy(since=start)  # an outage that is answered is no traceback


def ready(server) -> bool:
    try:
        return requests.get(server.url + "/readyz", timeout=WAIT).status_code == 200
    except requests.RequestException:
        return False


def rooms(person: Person) -> dict:
    """The lobby as JSON, by room id; {} while it cannot be read."""
    response = person.get("/rooms")
    if response.status_code != 200:
        return {}
    return {room["_id"]: room for room in response.json()["rooms"]}


def enter_secret(person: Person, room_id: str, password: str) -> None:
    person.visit(f"/room/{room_id}")  # the password form, with a CSRF token
    response = person.http.post(
        f"{person.server.url}/room/{room_id}/password",
        data={"password": password, "csrf_token": person.csrf},
        allow_redirects=False,
        timeout=WAIT,
    )
    assert response.status_code == 302, response.text


def handles(members: list[dict]) -> set[str]:
    return {member["handle"] for member in members}


def left_by(seconds_from: float):
    """The seconds left of RECOVERY counted from `seconds_from` (time.monotonic())."""
    return max(0.1, seconds_from + RECOVERY - time.monotonic())


def test_a_redis_restarted_empty_loses_nobody_and_strands_no_page(redis, cluster, on):
    alice, bob, dave = on(0)(), on(1)(), on(0)()
    lobby = dave.socket("/room", "websocket")
    room_id = alice.create_room("through a restart", max=2)
    secret_id = alice.create_room("secret", password="sesame")
    alice.join(secret_id, "websocket")  # held, so its deletion is not due
    enter_secret(bob, secret_id, "sesame")
    a = alice.join(room_id, "websocket")
    b = bob.join(room_id, "polling")
    a.wait_for("join", lambda notice: notice["who"] == bob.color)
    left_empty = on(1)().create_room("left empty")  # its deletion is due in GRACE, in Redis
    identities = {person: (person.color, person.handle) for person in (alice, bob)}

    redis.kill()
    for sock in (a, b):
        ack = sock.call("join", room_id)  # unanswered in WAIT seconds, it raises
        assert ack["code"] == "busy" and ack["error"], ack
    refused = alice.post_chat(room_id, "into the void")
    assert (refused.status_code, refused.json()["code"]) == (503, "busy")
    assert refused.headers["Retry-After"]

    redis.start()  # the same port, empty
    back = time.monotonic()
    assert wait_for(lambda: all(ready(server) for server in cluster), seconds=left_by(back))
    # Put back by their processes, before anyone rejoins: the lobby counts them, a third
    # person finds the room full.
    assert wait_for(lambda: rooms(dave).get(room_id, {}).get("count") == 2, left_by(back))
    carol = on(0)()
    assert carol.get(f"/room/{room_id}", allow_redirects=False).status_code == 302
    for sock in (a, b):
        ack = sock.call("join", room_id)
        assert ack.get("ok") is True, ack
        assert handles(ack["members"]) == {alice.handle, bob.handle}
    sent = alice.post_chat(room_id, "still here").json()
    assert b.wait_for("chat", lambda chat: chat["_id"] == sent["_id"])["chat"] == "still here"
    reply = bob.post_chat(room_id, "me too").json()
    assert a.wait_for("chat", lambda chat: chat["_id"] == reply["_id"])["chat"] == "me too"

    for person, before in identities.items():
        person.visit("/")
        assert (person.color, person.handle) == before
    assert rooms(bob)[room_id]["owner"] == alice.color
    page = bob.get(f"/room/{secret_id}")  # still admitted: the room, not its password form
    assert page.status_code == 200 and 'name="password"' not in page.text
    lobby.wait_for("removeRoom", lambda gone: gone == left_empty, timeout=GRACE + RECOVERY)
    assert set(rooms(dave)) == {room_id, secret_id}
    # Nobody was announced leaving or coming back.
    notices = [event for event, _ in a.received() + b.received() if event in ("join", "exit")]
    assert notices == []


def test_sessions_kept_in_redis_when_asked_are_answered_busy_in_an_outage(tmp_path, redis):
    (server,) = start_cluster(tmp_path, redis.url, size=1, settings={"SESSION_TYPE": "redis"})
    try:
        people = People(server)
        alice = people()
        room_id = alice.create_room("sessions in redis")
        a = alice.join(room_id, "websocket")
        start = server.stderr_size()
        redis.kill()
        ack = a.call("join", room_id)  # the session cannot even be read: still answered
        assert ack["code"] == "busy" and ack["error"], ack
        page = alice.get("/", headers={"Accept": "application/json"})
        assert (page.status_code, page.json()["code"]) == (503, "busy")
        assert alice.get("/").status_code == 503
        log = server.stderr(since=start)
        assert "Traceback" not in log and "answered busy" in log, log
        redis.start()
        assert wait_for(lambda: ready(server), seconds=RECOVERY)
        # What was in that Redis is gone, as its operator chose: the page is told to reload,
        # not that the service is busy.
        ack = a.call("join", room_id)
        assert ack["error"] == "방문이 끝났습니다. 페이지를 새로 고쳐 다시 들어오세요.", ack
        newcomer = people()
        assert newcomer.get(f"/room/{room_id}").status_code == 200
        people.close()
        server.assert_healthy(since=start)
    finally:
        server.stop()
