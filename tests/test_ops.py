"""What operators rely on: health, readiness, metrics, request logs and security headers."""

import io
import json
import re
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from app.store.mongo import MongoStore
from harness.cluster import redis_server  # noqa: F401 (a fixture)
from harness.gifs import gif
from harness.live_server import free_port


@pytest.fixture
def backend():
    """SQLite only: these tests are about the process, not the database."""
    return "sqlite"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def log_lines(app):
    """What the app logs from now on, one string a line."""
    buffer = io.StringIO()
    app.extensions["log_handler"].setStream(buffer)
    return lambda: buffer.getvalue().splitlines()


def scrape(client, **kwargs) -> dict:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def unreachable_mongo() -> MongoStore:
    """A MongoDB store whose server is down: nothing listens on its port."""
    client = MongoClient(
        f"mongodb://127.0.0.1:{free_port()}/", serverSelectionTimeoutMS=200, connect=False
    )
    return MongoStore(client, "gifchat")


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_the_store_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}
    assert "Set-Cookie" not in response.headers


def _break_sqlite(app):
    store = app.extensions["store"]
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(store.path + suffix).unlink(missing_ok=True)
    with open(store.path, "wb") as damaged:
        damaged.write(b"this is not a database" * 100)


def _stop_mongo(app):
    app.extensions["store"] = unreachable_mongo()


@pytest.mark.parametrize("failure", [_break_sqlite, _stop_mongo], ids=["sqlite", "mongo"])
def test_readyz_names_the_store_when_it_does_not_answer(app, client, failure):
    failure(app)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "down": ["store"]}
    assert client.get("/healthz").status_code == 200  # alive all the same


def test_readyz_names_redis_when_it_is_configured_and_down(make_app, config):
    config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    client = make_app(config).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "down": ["redis"]}


def test_readyz_is_ready_with_a_redis_that_answers(make_app, config, redis_server):  # noqa: F811
    config["REDIS_URL"] = redis_server.url
    response = make_app(config).test_client().get("/readyz")
    assert response.status_code == 200, response.json


def test_metrics_count_messages_gifs_and_deliveries(app, visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room("counted")
    alice.join(room_id)
    bob.join(room_id)
    carol.socket("/room")  # in the lobby only: no chat event reaches her
    before = scrape(alice.client)
    assert value(before, "gifchat_sockets", namespace="/chat") == 2
    assert value(before, "gifchat_sockets", namespace="/room") == 1
    assert value(before, "gifchat_rooms") == 1
    assert value(before, "gifchat_people_in_rooms") == 2

    assert bob.post_chat(room_id, "hello").status_code == 201
    assert alice.post_gif(room_id, gif(4, 4)).status_code == 201
    after = scrape(alice.client)
    assert value(after, "gifchat_messages_total") == value(before, "gifchat_messages_total") + 1
    assert value(after, "gifchat_gifs_total") == value(before, "gifchat_gifs_total") + 1
    # Each of the two posts reached both sockets in the room.
    delivered = value(after, "gifchat_deliveries_total") - value(before, "gifchat_deliveries_total")
    assert delivered == 4
    assert len([e for e in alice.sockets[0].get_received("/chat") if e["name"] == "chat"]) == 2


def test_request_durations_are_labelled_by_endpoint_never_by_path(app, visitor):
    alice = visitor()
    room_id = alice.create_room()
    alice.enter(room_id)
    alice.client.get("/no/such/page")
    samples = scrape(alice.client)
    count = "gifchat_http_request_duration_seconds_count"
    assert value(samples, count, endpoint="rooms.room") == 1
    assert value(samples, count, endpoint="rooms.lobby") == 1
    assert value(samples, count, endpoint="none") == 1  # the unknown page
    labels = {dict(labels).get("endpoint") for name, labels in samples if name == count}
    assert not any("/" in label for label in labels), labels


def test_store_errors_are_counted_on_http_and_socket_answers(app, visitor):
    alice = visitor()
    room_id = alice.create_room()
    sock = alice.join(room_id)
    app.extensions["store"] = unreachable_mongo()
    assert alice.post_chat(room_id, "lost").status_code == 503
    ack = sock.emit("join", room_id, namespace="/chat", callback=True)
    assert "error" in ack
    assert value(scrape(alice.client), "gifchat_store_errors_total") == 2


@pytest.fixture
def tight_limits(config):
    config.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_CHAT="2 per minute",
        RATELIMIT_PASSWORD="1 per minute",
        RATELIMIT_JOIN_PER_SOCKET="1 per minute",
        RATELIMIT_HANDSHAKE="1 per minute",
    )


def test_every_refusal_of_every_limit_is_counted_by_limit(tight_limits, visitor, clock):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    sock = alice.join(room_id)
    locked = alice.create_room("locked", password="open sesame")
    posts = [alice.post_chat(room_id, text).status_code for text in ("one", "two", "three")]
    guesses = [bob.enter(locked, password="wrong").status_code for _ in range(2)]
    joined = sock.emit("join", room_id, namespace="/chat", callback=True)  # its second join
    handshakes = [
        bob.client.get("/socket.io/?EIO=4&transport=polling").status_code for _ in range(2)
    ]
    assert (posts, guesses, handshakes) == ([201, 201, 429], [403, 429], [200, 429])
    assert "error" in joined

    counted = scrape(alice.client)
    for limit in ("chat", "password", "join", "handshake"):
        assert value(counted, "gifchat_rate_limited_total", limit=limit) == 1, limit
    assert value(counted, "gifchat_rate_limited_total", limit="gif") == 0


@pytest.mark.parametrize(
    "environ, headers",
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, {}),
        ({"REMOTE_ADDR": "203.0.113.9"}, {"Authorization": "Bearer wrong"}),
        ({"REMOTE_ADDR": "203.0.113.9"}, {"Authorization": "Basic s3cret-token"}),
        # A proxy on this machine that the app was not told about: the client is elsewhere.
        ({"REMOTE_ADDR": "127.0.0.1"}, {"X-Forwarded-For": "203.0.113.9"}),
    ],
)
def test_metrics_refuse_other_machines_without_the_token(make_app, config, environ, headers):
    config["METRICS_TOKEN"] = "s3cret-token"
    client = make_app(config).test_client()
    response = client.get("/metrics", environ_base=environ, headers=headers)
    assert response.status_code == 403
    assert response.json["error"]
    assert "gifchat_" not in response.text
    assert "Set-Cookie" not in response.headers


def test_metrics_answer_other_machines_with_the_token(make_app, config):
    config["METRICS_TOKEN"] = "s3cret-token"
    client = make_app(config).test_client()
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    samples = scrape(client, environ_base=remote, headers={"Authorization": "Bearer s3cret-token"})
    assert ("gifchat_messages_total", ()) in samples


def test_without_a_token_metrics_answer_this_machine_only(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 403


def test_each_request_gets_an_id_in_its_response_and_its_log_line(client, log_lines):
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [line for line in log_lines() if request_id in line]
    assert len(lines) == 1
    assert '"GET /healthz" 200' in lines[0]
    assert client.get("/healthz").headers["X-Request-ID"] != request_id


def test_the_log_names_the_client_behind_a_trusted_proxy(make_app, config):
    config["PROXY_COUNT"] = 1
    app = make_app(config)
    buffer = io.StringIO()
    app.extensions["log_handler"].setStream(buffer)
    app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    assert '203.0.113.9 "GET /healthz" 200' in buffer.getvalue()


@pytest.mark.parametrize(
    "given, kept",
    [
        ("3f2a9c1e-1b7d-4c55-9f00-5b0c9d2a7e11", True),
        ("proxy.abc:1234", True),
        ("short", False),
        ("has space in it", False),
        ("tab\tforged-fields", False),
        ("x" * 200, False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_sane(client, log_lines, given, kept):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert (response.headers["X-Request-ID"] == given) is kept
    assert len(log_lines()) == 1


def test_json_log_lines_carry_the_request_fields(make_app, config):
    config["LOG_FORMAT"] = "json"
    app = make_app(config)
    buffer = io.StringIO()
    app.extensions["log_handler"].setStream(buffer)
    response = app.test_client().get("/healthz?token=private", headers={"X-Request-ID": "r" * 16})
    (line,) = [json.loads(text) for text in buffer.getvalue().splitlines()]
    assert line["request_id"] == "r" * 16 == response.headers["X-Request-ID"]
    assert line["level"] == "INFO" and line["logger"] == "app.request"
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["endpoint"] == "health.healthz" and isinstance(line["duration_ms"], float)
    assert "private" not in buffer.getvalue()


def test_an_unknown_log_format_is_refused_at_start(make_app, config):
    config["LOG_FORMAT"] = "xml"
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        make_app(config)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_an_error_is_logged_once_with_its_traceback_and_request_id(make_app, config, log_format):
    config.update(LOG_FORMAT=log_format, PROPAGATE_EXCEPTIONS=False)
    app = make_app(config)

    def broken():
        raise RuntimeError("the view broke")

    app.add_url_rule("/broken", "broken", broken)
    buffer = io.StringIO()
    app.extensions["log_handler"].setStream(buffer)
    response = app.test_client().get("/broken", headers={"Accept": "application/json"})
    assert response.status_code == 500
    text = buffer.getvalue()
    assert text.count("Traceback") == 1 and text.count("RuntimeError: the view broke") == 1
    request_id = response.headers["X-Request-ID"]
    if log_format == "json":
        lines = [json.loads(line) for line in text.splitlines()]
        assert [line["request_id"] for line in lines] == [request_id, request_id]
        assert "RuntimeError: the view broke" in lines[0]["exc_info"]
        assert lines[1]["status"] == 500
    else:
        assert f"[{request_id}] Exception on /broken [GET]" in text


def assert_secure(response, https=False):
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data: blob:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == f"'self' {'wss' if https else 'ws'}://localhost"
    assert "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert ("Strict-Transport-Security" in headers) is https


def test_every_kind_of_response_carries_the_security_headers(app, visitor):
    alice = visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    client = alice.client
    name = alice.post_gif(room_id, gif(4, 4)).json["gif"]
    for response in [
        client.get("/"),
        client.get(f"/room/{room_id}"),
        client.get("/room"),
        client.get("/no/such/page"),
        client.get(f"/gif/{name}", buffered=True),
        client.get(f"/room/{room_id}/chats"),
        client.get("/healthz"),
        client.get("/metrics"),
        alice.post_chat(room_id, "hi"),
    ]:
        assert_secure(response)


def test_hsts_only_over_https(app):
    client = app.test_client()
    assert_secure(client.get("/", base_url="https://localhost"), https=True)
    assert_secure(client.get("/"), https=False)


def test_a_forged_host_never_widens_the_policy(client):
    response = client.get("/", headers={"Host": "evil.invalid; script-src *"})
    policy = response.headers["Content-Security-Policy"]
    assert "evil" not in policy and "script-src *" not in policy
