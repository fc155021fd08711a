"""What every chat post goes through, made cheaper: the same answers, counts and log lines."""

import io
import logging
import time

import pytest
import socketio
from engineio import packet as eio_packet
from prometheus_client.parser import text_string_to_metric_families
from socketio import packet as sio_packet

from app.ops.log_format import TEXT, TextFormatter
from app.ops.metrics import _Tally
from app.patches import socketio_deliveries
from app.protection import limits


@pytest.fixture
def backend():
    return "sqlite"


def test_with_limits_off_a_post_never_asks_the_limiter(visitor, monkeypatch):
    def asked(*args, **kwargs):
        raise AssertionError("the limiter was asked")

    monkeypatch.setattr(limits.limiter, "_check_request_limit", asked)
    alice = visitor()
    room = alice.create_room()
    alice.join(room)
    assert alice.post_chat(room, "hello").status_code == 201


class _Engine:
    """What a Socket.IO server hands its Engine.IO server, kept instead of sent."""

    def __init__(self):
        self.sent = []

    def send_packet(self, eio_sid, eio_pkt):
        self.sent.append((eio_sid, eio_pkt.data))

    def send(self, eio_sid, data):
        self.sent.append((eio_sid, data))


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_each_event_sent_counts_once_and_its_attachments_never(async_mode):
    server = socketio.Server(async_mode="threading")
    server.async_mode = async_mode  # the lock is chosen by the mode: no loop is needed here
    server.eio = engine = _Engine()
    tally = _Tally("gifchat_deliveries", "Deliveries")
    socketio_deliveries.watch(server, tally, lambda *emitted: None)
    server._send_packet("b", sio_packet.Packet(sio_packet.ACK, ["ok"], id=2))  # an answer
    assert tally.value == 0  # the server's own packets are not deliveries
    view = server.manager.server
    view._send_eio_packet("a", eio_packet.Packet(eio_packet.MESSAGE, "2[...]"))
    view._send_eio_packet("a", eio_packet.Packet(eio_packet.MESSAGE, b"\x00attachment"))
    view._send_packet("b", sio_packet.Packet(sio_packet.EVENT, ["chat", {}], id=1))
    assert tally.value == 2
    assert len(engine.sent) == 4


def test_deliveries_keep_their_name_type_and_help(app, visitor):
    alice = visitor()
    room = alice.create_room()
    alice.join(room)
    assert alice.post_chat(room, "hello").status_code == 201
    text = alice.client.get("/metrics").text
    assert (
        "# HELP gifchat_deliveries_total Socket.IO events sent to sockets by this process\n"
        "# TYPE gifchat_deliveries_total counter\n"
    ) in text
    (family,) = [f for f in text_string_to_metric_families(text) if f.name == "gifchat_deliveries"]
    assert family.type == "counter" and family.samples[0].value >= 1


def test_durations_add_up_per_endpoint(app):
    client = app.test_client()
    for _ in range(3):
        client.get("/healthz")
    samples = {
        (sample.name, sample.labels.get("endpoint")): sample.value
        for family in text_string_to_metric_families(client.get("/metrics").text)
        for sample in family.samples
    }
    assert samples[("gifchat_http_request_duration_seconds_count", "health.healthz")] == 3
    assert samples[("gifchat_http_request_duration_seconds_sum", "health.healthz")] > 0


@pytest.mark.parametrize(
    "created",
    [time.time(), 0.5, 1e9 + 0.9995, 1e9 + 1.0004, time.time() + 180 * 86400],
    # Named, not numbered by their values: the same test has the same id in every run.
    ids=["now", "half-past-the-epoch", "rounding-up", "just-past-a-second", "in-half-a-year"],
)
def test_text_lines_read_as_the_standard_formatter_writes_them(created):
    cached, standard = TextFormatter(), logging.Formatter(TEXT)
    record = logging.LogRecord("app.request", logging.INFO, __file__, 1, "a %s", ("b",), None)
    record.created, record.msecs, record.request_id = created, (created % 1) * 1000 // 1, "r1"
    cached.format(record)  # the second cached, then used
    assert cached.format(record) == standard.format(record)


def test_the_access_line_says_where_it_comes_from(app):
    buffer = io.StringIO()
    seen = []
    app.extensions["log_handler"].setStream(buffer)
    handler = logging.Handler()
    handler.emit = seen.append
    logging.getLogger("app.request").addHandler(handler)
    try:
        app.test_client().get("/healthz")
    finally:
        logging.getLogger("app.request").removeHandler(handler)
    (record,) = seen
    assert record.funcName == "_log" and record.pathname.endswith("access.py")
    assert record.getMessage().startswith('127.0.0.1 "GET /healthz" 200 ')
    assert record.fields["endpoint"] == "health.healthz"
    assert buffer.getvalue().count("\n") == 1


def test_a_quiet_request_logger_writes_nothing(app):
    buffer = io.StringIO()
    app.extensions["log_handler"].setStream(buffer)
    logging.getLogger("app.request").setLevel(logging.WARNING)
    try:
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        logging.getLogger("app.request").setLevel(logging.NOTSET)
    assert buffer.getvalue() == ""
