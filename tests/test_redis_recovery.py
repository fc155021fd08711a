"""A real Redis restarted empty: what a process puts back, and its message queue listening again."""

import queue
import threading
import time

import pytest

from app.patches import socketio_queue
from app.presence import RoomFull
from harness.cluster import redis_server  # noqa: F401 (a fixture)

from .waiting import wait_for

pytestmark = pytest.mark.redis

WAIT = 5  # seconds, at most, for the listener's next message
# python-socketio's own listener, down this long, tries again only 4.5 s after Redis is back
# (after 1, 2, then 4 s); ours within RETRY_SECONDS (0.5).
OUTAGE = 2.5
HEARD_AFTER_OUTAGE = 3


def test_a_process_puts_its_seats_back_as_they_were(processes, redis_server):  # noqa: F811
    one, two = processes().extensions["presence"], processes().extensions["presence"]
    one.join("r", "s1", "alice", "#a", 2, handle="h1", name="Alice")
    one.join("r", "s2", "alice", "#a", 2, handle="h1", name="Alice")
    two.join("r", "s3", "bob", "#b", 2, handle="h2")
    one.join("q", "s4", "carol", "#c", handle="h3")
    one.leave("s4")  # gone before the restart: not put back
    redis_server.client().flushall()
    one.restore(one.seats)
    two.restore(two.seats)
    assert sorted(one.sockets_of("r", "alice")) == ["s1", "s2"]
    assert {(p.user_key, p.color, p.handle, p.name) for p in one.people("r")} == {
        ("alice", "#a", "h1", "Alice"),
        ("bob", "#b", "h2", None),
    }
    assert one.count("q") == 0
    with pytest.raises(RoomFull):  # capacity counts them again
        two.join("r", "s5", "dave", "#d", 2)


def test_recovery_notices_an_emptied_redis_and_reschedules_rooms(processes, redis_server):  # noqa: F811
    app = processes()
    recovery = app.extensions["redis_recovery"]
    store = app.extensions["store"]
    empty = store.create_room("empty", 5, "#a", None, "alice", None)
    away = store.create_room("owner away", 5, "#a", None, "alice", None)
    assert recovery.recover_if_replaced(app) is False  # the first look: nothing to compare
    assert recovery.recover_if_replaced(app) is False
    client = redis_server.client()
    client.flushall()
    app.extensions["presence"].join(away.id, "s1", "bob", "#b")  # a socket of another process
    assert recovery.recover_if_replaced(app) is True
    assert recovery.recover_if_replaced(app) is False
    due = {tuple(each) for each in map(_decode, client.zrange("gifchat:deadlines", 0, -1))}
    assert ("delete-if-empty", empty.id, None) in due
    assert ("hand-over", away.id, "alice") in due
    assert ("delete-if-empty", away.id, None) not in due


def test_another_server_holding_our_generation_is_noticed_by_its_run_id(processes, redis_server):  # noqa: F811
    # A replica that took over has the generation key, replicated, but not every last write.
    app = processes()
    recovery = app.extensions["redis_recovery"]
    recovery.recover_if_replaced(app)
    generation = redis_server.client().get("gifchat:generation")
    redis_server.kill()
    redis_server.start()
    redis_server.client().set("gifchat:generation", generation)
    assert recovery.recover_if_replaced(app) is True


def _decode(member: str):
    import json

    return json.loads(member)


def _next_in_thread(messages, results: queue.Queue) -> None:
    """One message from the listener, put in results; its own thread, so waits are bounded."""
    threading.Thread(target=lambda: results.put(next(messages)), daemon=True).start()


def test_the_message_queue_listens_again_as_soon_as_redis_is_back(redis_server):  # noqa: F811
    from socketio import RedisManager

    socketio_queue.install()
    manager = RedisManager(redis_server.url, channel="recovery-test")
    messages = manager._redis_listen_with_retries()
    results = queue.Queue()
    client = redis_server.client()
    try:
        _next_in_thread(messages, results)
        assert _published_until_heard(client, "one", results)["data"] == "one"
        assert socketio_queue.listening(manager) is True
        _next_in_thread(messages, results)  # listening through the outage
        redis_server.kill()
        assert wait_for(lambda: socketio_queue.listening(manager) is False, seconds=WAIT)
        time.sleep(OUTAGE)
        redis_server.start()  # empty, the same port
        client = redis_server.client()
        heard = _published_until_heard(client, "two", results, seconds=HEARD_AFTER_OUTAGE)
        assert heard["data"] == "two"
        assert socketio_queue.listening(manager) is True
    finally:
        messages.close()
        if manager.pubsub is not None:
            manager.pubsub.close()
        client.close()


def _published_until_heard(client, text: str, results: queue.Queue, seconds=WAIT) -> dict:
    """Publish text every 0.1 s (a message sent before the listener subscribes is lost)
    until the listener hears it, for `seconds` at most."""
    for _ in range(round(seconds * 10)):
        client.publish("recovery-test", text)
        try:
            message = results.get(timeout=0.1)
        except queue.Empty:
            continue
        message["data"] = message["data"].decode()
        return message
    raise AssertionError(f"{text!r} not heard within {seconds} s")


def test_the_queue_patch_undoes_itself():
    from socketio import RedisManager

    socketio_queue.install()
    assert RedisManager._redis_listen_with_retries is socketio_queue.listen_with_retries
    socketio_queue.uninstall()
    try:
        assert RedisManager._redis_listen_with_retries is not socketio_queue.listen_with_retries
    finally:
        socketio_queue.install()


def test_a_sentinel_url_reaches_the_same_service_for_rate_limits():
    from app.presence.redis_client import limits_storage

    uri, options = limits_storage("redis+sentinel://s1:26379,s2:26380/2/chat")
    assert uri == "redis+sentinel://s1:26379,s2:26380/chat"
    assert options["db"] == 2 and options["socket_connect_timeout"] == 1
    assert limits_storage("redis://r:6379/0")[0] == "redis://r:6379/0"


def test_a_posts_key_is_known_to_every_process(processes):
    one, two = processes().extensions["posted_once"], processes().extensions["posted_once"]
    assert one.add("k:room:key", "")
    assert not two.add("k:room:key", "")  # a post sent again to the other process waits
    one.set("k:room:key", "chat-id")
    assert two.get("k:room:key") == "chat-id"
