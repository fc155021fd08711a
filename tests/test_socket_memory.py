"""Engine.IO sockets with no green thread parked per socket (app.patches.engineio_tasks), under
eventlet and gevent: what engine.io's own ping and writer threads did, they still do."""

import gc
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from app.config import ASYNC_MODES

# Importing eventlet makes every later fork() warn, and warnings are errors here; gevent's hub
# is the process's too: the cases that drive engine.io on an event loop run in a pytest
# process of their own, one per loop.
OWN_PROCESS = "SOCKET_TASKS_OWN_PROCESS"
LOOP = os.environ.get(OWN_PROCESS)

if LOOP is None:

    @pytest.mark.parametrize("loop", ASYNC_MODES)
    def test_engineio_on_each_loop_in_a_process_of_its_own(loop):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not server"]
            + [str(Path(__file__).resolve())],
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, OWN_PROCESS: loop},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert " passed" in result.stdout

else:
    if LOOP == "eventlet":
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # as wsgi.py
            import eventlet
            import eventlet.queue
            from eventlet.hubs import get_hub

        sleep, Queue, Timeout = eventlet.sleep, eventlet.queue.Queue, eventlet.Timeout

        def spawn(fn, *args):
            return eventlet.spawn(fn, *args)

        def finish(task):
            return task.wait()

        def hub():
            return get_hub().greenlet
    else:
        import gevent
        import gevent.queue

        sleep, Queue, Timeout = gevent.sleep, gevent.queue.Queue, gevent.Timeout

        def spawn(fn, *args):
            return gevent.spawn(fn, *args)

        def finish(task):
            return task.get()

        def hub():
            return gevent.get_hub()

    import engineio
    import engineio.socket
    import greenlet
    from engineio import packet

    from app.patches import engineio_tasks

    class FakeWebSocket:
        """What engine.io's handler uses of a websocket; the client's end: `incoming`."""

        def __init__(self):
            self.incoming = Queue()  # what the client sends; None: it hung up
            self.sent = []
            self.closed = False
            self.fail_sends = False

        def wait(self):
            return self.incoming.get()

        def send(self, data):
            if self.fail_sends:
                raise OSError("broken pipe")
            sleep(0)  # a real send may switch
            self.sent.append(data)

        def close(self):
            self.closed = True
            self.incoming.put(None)  # the reader wakes, as it does on a closed socket

        def packets(self):
            return [packet.Packet(encoded_packet=data) for data in self.sent]

    @pytest.fixture
    def patched():
        assert engineio_tasks.install(LOOP)
        yield
        engineio_tasks.uninstall()

    @pytest.fixture
    def engine(patched):
        engine = engineio.Server(async_mode=LOOP, ping_interval=0.05, ping_timeout=5)
        disconnects = engine.disconnects = []
        engine.on("disconnect", lambda sid, reason: disconnects.append((sid, reason)))
        return engine

    def running_greenlets():
        """Green threads started and not yet ended, but this test's own and the loop's hub."""
        gc.collect()
        ours = (greenlet.getcurrent(), hub())
        return [
            each
            for each in gc.get_objects()
            if isinstance(each, greenlet.greenlet) and each and each not in ours
        ]

    def open_websocket(engine, ws, sid="s1"):
        """A socket that connects over websocket from the start; its handler's green thread."""
        sock = engineio.socket.Socket(engine, sid)
        engine.sockets[sid] = sock
        handler = spawn(sock._websocket_handler, ws)
        sleep(0)
        return sock, handler

    def test_packets_go_out_in_order_and_no_writer_waits_between_them(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        for text in ("one", "two", "three"):
            sock.send(packet.Packet(packet.MESSAGE, data=text))
        sleep(0.01)
        assert [p.data for p in ws.packets()] == ["one", "two", "three"]
        assert running_greenlets() == [handler]  # only the reader, between writes
        sock.send(packet.Packet(packet.MESSAGE, data="four"))
        sleep(0.01)
        assert [p.data for p in ws.packets()][-1] == "four"
        ws.incoming.put(None)
        finish(handler)

    def test_what_was_queued_before_the_websocket_goes_out_first(engine):
        ws = FakeWebSocket()
        sock = engineio.socket.Socket(engine, "s1")
        sock.queue.put(packet.Packet(packet.MESSAGE, data="early"))
        handler = spawn(sock._websocket_handler, ws)
        sleep(0)
        sock.send(packet.Packet(packet.MESSAGE, data="late"))
        sleep(0.01)
        assert [p.data for p in ws.packets()] == ["early", "late"]
        ws.incoming.put(None)
        finish(handler)

    def test_a_client_that_hangs_up_is_disconnected_and_its_websocket_closed(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        ws.incoming.put(None)
        assert finish(handler) == []
        assert ws.closed
        assert sock.closed
        assert engine.disconnects == [("s1", engine.reason.TRANSPORT_CLOSE)]

    def test_a_server_side_close_sends_close_then_ends_the_websocket(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        sock.send(packet.Packet(packet.MESSAGE, data="bye"))
        sock.close(wait=False, reason=engine.reason.SERVER_DISCONNECT)
        assert finish(handler) == []
        assert [p.packet_type for p in ws.packets()] == [packet.MESSAGE, packet.CLOSE]
        assert ws.closed
        assert engine.disconnects == [("s1", engine.reason.SERVER_DISCONNECT)]

    def test_close_and_wait_returns_once_everything_queued_is_written(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        sock.send(packet.Packet(packet.MESSAGE, data="last words"))
        with Timeout(2):
            sock.close(wait=True)
        assert [p.packet_type for p in ws.packets()] == [packet.MESSAGE, packet.CLOSE]
        assert finish(handler) == []

    def test_a_failed_send_ends_the_websocket_and_nothing_more_is_written(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        ws.fail_sends = True
        sock.send(packet.Packet(packet.MESSAGE, data="lost"))
        sleep(0.01)
        assert ws.closed
        assert finish(handler) == []
        assert ws.sent == []
        assert engine.disconnects == [("s1", engine.reason.TRANSPORT_CLOSE)]

    def test_a_ping_goes_out_after_the_interval_and_again_after_each_pong(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        sock.schedule_ping()  # as engine.io's engine does on connect
        assert sock.last_ping is None
        assert running_greenlets() == [handler]  # the wait for it is a timer, not a green thread
        time.sleep(0.01)
        sleep(0.1)
        assert [p.packet_type for p in ws.packets()] == [packet.PING]
        assert sock.last_ping is not None
        sleep(0.1)
        assert len(ws.sent) == 1  # no pong yet: no second ping
        ws.incoming.put(packet.Packet(packet.PONG).encode())
        sleep(0.1)
        assert [p.packet_type for p in ws.packets()] == [packet.PING, packet.PING]
        ws.incoming.put(None)
        finish(handler)

    def test_no_ping_for_a_socket_closed_before_it_was_due(engine):
        ws = FakeWebSocket()
        sock, handler = open_websocket(engine, ws)
        sock.schedule_ping()
        ws.incoming.put(None)
        finish(handler)
        sent = list(ws.sent)
        sleep(0.1)
        assert ws.sent == sent
        assert packet.PING not in [p.packet_type for p in ws.packets()]

    def test_an_upgrade_from_polling_ends_the_poll_then_writes_on_the_websocket(engine):
        ws = FakeWebSocket()
        sock = engineio.socket.Socket(engine, "s1")
        sock.connected = True  # connected over long-polling first
        handler = spawn(sock._websocket_handler, ws)
        ws.incoming.put(packet.Packet(packet.PING, data="probe").encode())
        sleep(0.01)
        assert [p.packet_type for p in sock.poll()] == [packet.NOOP]  # the pending poll's answer
        ws.incoming.put(packet.Packet(packet.UPGRADE).encode())
        sleep(0.01)
        assert sock.upgraded
        sock.send(packet.Packet(packet.MESSAGE, data="over websocket"))
        sleep(0.01)
        packets = ws.packets()
        assert (packets[0].packet_type, packets[0].data) == (packet.PONG, "probe")
        assert [(p.packet_type, p.data) for p in packets[1:]] == [
            (packet.MESSAGE, "over websocket")
        ]
        ws.incoming.put(None)
        finish(handler)

    def test_install_replaces_engineio_own_threads_and_uninstall_puts_them_back():
        Socket = engineio.socket.Socket
        originals = {name: vars(Socket)[name] for name in ("schedule_ping", "send", "close")}
        assert engineio_tasks.install(LOOP)
        try:
            assert Socket.schedule_ping is engineio_tasks.schedule_ping
            assert Socket._websocket_handler is engineio_tasks.websocket_handler
            assert Socket.send.__wrapped__ is originals["send"]
        finally:
            engineio_tasks.uninstall()
        assert {name: vars(Socket)[name] for name in originals} == originals
        assert Socket._websocket_handler is not engineio_tasks.websocket_handler


# The real servers on each loop: gunicorn's worker, and `python wsgi.py`, whose connections
# under eventlet also give up their HTTP buffers once they carry a websocket.


@pytest.fixture(scope="module", params=["gunicorn", "wsgi.py"])
def live(request, tmp_path_factory, async_mode):
    from harness.live_server import LiveServer, WsgiServer, running

    server_class = {"gunicorn": LiveServer, "wsgi.py": WsgiServer}[request.param]
    with running(tmp_path_factory.mktemp("live"), 2, server_class, mode=async_mode) as server:
        yield server


@pytest.fixture
def people(live):
    from harness.live_server import People

    made = People(live)
    yield made
    made.close()
    live.assert_healthy()


@pytest.mark.server
@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_chat_reaches_a_socket_whole_and_in_order(people, transport):
    alice, bob = people(), people()
    room_id = alice.create_room("in order")
    alice.join(room_id, "websocket")
    b = bob.join(room_id, transport)
    sent = []
    for n in range(20):
        response = alice.post_chat(room_id, f"message {n} " + "x" * 50 * n)
        assert response.status_code == 201, response.text
        sent.append(response.json())
    got = [b.wait_for("chat", lambda chat, want=want: chat["_id"] == want["_id"]) for want in sent]
    assert got == sent
    chats = [data for event, data in b.received() if event == "chat"]
    assert chats == []  # nothing twice, nothing out of order before the ones waited for


@pytest.mark.server
def test_an_upgraded_socket_sees_its_visitor_and_hears_the_room(people, live):
    """Polling first, then websocket, as browsers connect: the handlers still read the
    visitor's session and request from the connection's environ."""
    from harness.live_server import WAIT

    alice, bob = people(), people()
    room_id = alice.create_room("upgrade")
    a = alice.join(room_id, "websocket")
    page = bob.visit(f"/room/{room_id}")
    assert page.status_code == 200
    heard = []
    client = socketio_client(heard)
    try:
        client.connect(
            live.url,
            headers={"Cookie": bob.cookie, "Referer": f"{live.url}/room/{room_id}"},
            namespaces=["/chat"],
            transports=["polling", "websocket"],
            wait_timeout=WAIT,
        )
        ack = client.call("join", room_id, namespace="/chat", timeout=WAIT)
        assert ack["ok"] is True
        assert ack["me"] == bob.handle  # from his session, through his cookie
        assert a.wait_for("join")["who"] == bob.color
        deadline = time.monotonic() + WAIT
        while client.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.transport() == "websocket"
        response = alice.post_chat(room_id, "after the upgrade")
        assert response.status_code == 201
        deadline = time.monotonic() + WAIT
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard == [response.json()]
    finally:
        client.disconnect()
        client.shutdown()


def socketio_client(heard):
    import socketio

    client = socketio.Client(reconnection=False)
    client.on("chat", heard.append, namespace="/chat")
    return client


@pytest.mark.server
def test_the_connection_ends_with_its_websocket(live):
    """A client that closes its websocket sees the server end the connection, rather than
    waiting out a time-out of its own (pywsgi kept it, awaiting a next request)."""
    import websocket

    from harness.live_server import WAIT

    ws = websocket.create_connection(
        live.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        timeout=WAIT,
    )
    try:
        assert ws.recv().startswith("0{")  # engine.io's open packet
        ws.send_close()
        raw = ws.sock
        raw.settimeout(WAIT)
        ended = b""
        try:
            while chunk := raw.recv(4096):  # the server's close frame, then the end
                ended = chunk
        except TimeoutError:
            pytest.fail(f"the connection was still open {WAIT}s after the websocket closed")
        assert ended[:1] == b"\x88"  # the last thing sent was a close frame
    finally:
        ws.shutdown()
    live.assert_healthy()
