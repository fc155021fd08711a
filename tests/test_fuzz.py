"""Hostile requests to every route and event, from a fixed seed: no 500, no "Something went wrong".

Each case is drawn by random.Random(SEED + n), so a failure names the case that reproduces it.
"""

import json
import random
from io import BytesIO
from urllib.parse import quote

import pytest

from harness.gifs import gif

SEED = 20261126
REQUESTS = 300
EVENTS = 200
# What each field usually holds: a case breaks one or two of them and keeps the rest plausible.
PLAUSIBLE = {"chat": "hi", "title": "t", "max": 5, "password": "sesame", "lang": "en", "next": "/"}
PLAUSIBLE["name"] = "Sam"
FIELDS = [*PLAUSIBLE, "to", "user", "csrf_token", "gif"]
WENT_WRONG = {
    "error": "문제가 발생했습니다.",
    "code": "server-error",
}  # socket_error's answer to an exception


def hostile(rng: random.Random, people, rooms, depth=0):
    """One value a careless or malicious client might send where the app expects another."""
    kinds = [
        lambda: None,
        lambda: rng.choice([0, -1, 1, 2, 10, 101, 2**63, -(2**70), 1.5, float("1e308")]),
        lambda: rng.choice([True, False]),
        lambda: "",
        lambda: rng.choice([" ", "\t", "\n", "\r\n", "\x00", "\x7f", "\u2028", "\ufeff"]),
        lambda: rng.choice(["x", "가"]) * rng.choice([99, 100, 101, 1000, 1001, 20_000]),
        lambda: rng.choice(["\ud800", "a\udfffb", "\ud83d", "\U0001f600"]),
        lambda: rng.choice(["../../etc/passwd", "%2e%2e%2f", "/\\evil", "//evil.invalid"]),
        lambda: rng.choice(["<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "$where"]),
        lambda: rng.choice(["0" * 24, "f" * 24, "G" * 24, "0" * 23, "0" * 25, "nope"]),
        lambda: rng.choice(rooms),
        lambda: rng.choice([p.color for p in people] + ["#000000", "#ZZZZZZ", "#fff"]),
        lambda: rng.choice([p.handle for p in people] + ["0" * 16, "F" * 16, "0" * 15]),
        lambda: rng.choice(["ko", "en", "xx", "EN", "ko-KR"]),
    ]
    if depth < 3:
        kinds += [
            lambda: [hostile(rng, people, rooms, depth + 1) for _ in range(rng.randint(0, 3))],
            lambda: {
                rng.choice(FIELDS + ["$gt", "__proto__"]): hostile(rng, people, rooms, depth + 1)
                for _ in range(rng.randint(0, 3))
            },
            lambda: nested(rng.randint(1, 60)),
        ]
    return rng.choice(kinds)()


def nested(depth: int):
    value = "deep"
    for _ in range(depth):
        value = [value]
    return value


def as_form_text(value) -> str:
    """What a form field could carry: text, with anything UTF-8 cannot encode replaced."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text.encode("utf-8", "replace").decode("utf-8")


def routes(app):
    """Every (method, rule) the app answers, static files aside."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule))
    return found


def fill(rule, rng, people, rooms) -> str:
    """A path for the rule, each argument a real room or a hostile text, quoted as browsers do."""
    values = {}
    for name in rule.arguments:
        value = rng.choice(rooms) if rng.random() < 0.6 else hostile(rng, people, rooms)
        text = value if isinstance(value, str) and value else as_form_text(value) or "x"
        values[name] = quote(as_form_text(text)[:300], safe="")
    path = rule.rule
    for name, text in values.items():
        path = path.replace(f"<{name}>", text)
    return path


def request_of(rng, app, people, rooms):
    """A random request: route, person, CSRF token or not, and a body of some kind."""
    method, rule = rng.choice(routes(app))
    who = rng.choice(people * 3 + [None])  # None: a client that never loaded a page
    client = who.client if who else app.test_client()
    path = fill(rule, rng, people, rooms)
    headers = {}
    token = rng.choice(["valid", "valid", "valid", "wrong", "none"])
    if token == "valid" and who:
        headers["X-CSRFToken"] = who.csrf
    elif token == "wrong":
        headers["X-CSRFToken"] = rng.choice(["x", "", "0" * 100, rng.randbytes(40).hex(), "ü"])
    headers["Accept"] = rng.choice(["application/json", "text/html", "*/*", "image/gif"])
    shape = rng.choice(["json", "json", "form", "raw", "multipart", "none"])
    body = {**PLAUSIBLE, "to": people[1].handle, "user": people[1].handle}
    for _ in range(rng.randint(0, 2)):
        body.pop(rng.choice(FIELDS), None)
    for _ in range(rng.randint(1, 2)):
        body[rng.choice(FIELDS)] = hostile(rng, people, rooms)
    kwargs = {"headers": headers}
    if method == "GET":
        kwargs["query_string"] = {key: as_form_text(value) for key, value in body.items()}
    elif shape == "json":
        kwargs["data"] = json.dumps(body if rng.random() < 0.8 else hostile(rng, people, rooms))
        kwargs["content_type"] = "application/json"
    elif shape == "form":
        kwargs["data"] = {key: as_form_text(value) for key, value in body.items()}
    elif shape == "raw":
        kwargs["data"] = rng.choice(
            [b"{not json", b"[" * 50_000, b"\xff\xfe\x00", b"", b'"\\ud800"']
        )
        kwargs["content_type"] = rng.choice(
            ["application/json", "text/plain", "multipart/form-data"]
        )
    elif shape == "multipart":
        data = rng.choice([gif(), gif()[:20], b"", b"GIF89a<html>", bytes(rng.randbytes(64))])
        filename = as_form_text(hostile(rng, people, rooms))[:50] or "a.gif"
        kwargs["data"] = {
            **{key: as_form_text(value) for key, value in body.items()},
            rng.choice(["gif", "file", "chat"]): (BytesIO(data), filename),
        }
        kwargs["content_type"] = "multipart/form-data"
    return client, method, path, kwargs


class Scene:
    """Alice owns a public and a secret room; Bob is in the public one; Carol only looked."""

    def __init__(self, visitor):
        self.people = [visitor(), visitor(), visitor()]
        self.rooms = []
        self.set_up()

    def set_up(self):
        """New rooms, as the scene was: after a deletion or a kick, cases go on in rooms again."""
        alice, bob, _ = self.people
        public = alice.create_room("public")
        secret = alice.create_room("secret", password="sesame")
        alice.join(public)
        bob.join(public)
        alice.post_chat(public, "hello")
        self.rooms[:] = [public, secret]


@pytest.fixture
def scene(visitor):
    return Scene(visitor)


def test_no_request_answers_500(app, scene):
    people, rooms = scene.people, scene.rooms
    for n in range(REQUESTS):
        rng = random.Random(SEED + n)
        client, method, path, kwargs = request_of(rng, app, people, rooms)
        try:
            response = client.open(path, method=method, **kwargs)
        except Exception as error:  # TESTING: the app's exception surfaces here instead of a 500
            raise AssertionError(f"case {n}: {method} {path} {kwargs!r:.400} raised") from error
        response.close()
        assert response.status_code < 500, (n, method, path, repr(kwargs)[:400], response.text)
        if response.status_code == 204:  # a room deleted, someone kicked
            scene.set_up()


def test_no_socket_event_goes_wrong(scene):
    people, rooms = scene.people, scene.rooms
    tabs = [(person.socket(ns), ns) for person in people for ns in ("/chat", "/room")]
    events = ["join", "join", "join", "leave", "chat", "kick", "message", "typing"]
    for n in range(EVENTS):
        rng = random.Random(SEED + n)
        sock, namespace = rng.choice(tabs)
        event = rng.choice(events)
        args = [hostile(rng, people, rooms) for _ in range(rng.randint(0, 3))]
        ack = sock.emit(event, *args, namespace=namespace, callback=True)
        case = (n, namespace, event, repr(args)[:400])
        assert ack != WENT_WRONG, case
        assert sock.is_connected(namespace), case
