"""GIF downloads on the real servers: never held whole, counted per address, cut off when stuck.

The attack: many connections ask for a 5 MiB GIF and never read it. Reading the file whole for
each took a worker from 75 MiB to 1.8 GB (240 such downloads), and kept it.
"""

import pytest

from harness.live_server import LiveServer, Person, WsgiServer, running

from .downloads import answers, big_gif_of, rss_mib, start_download, status_of, worker
from .required import require
from .waiting import wait_for

require("requests", "requests")

pytestmark = pytest.mark.server

SEND_TIMEOUT = 3  # GIFCHAT_SEND_TIMEOUT_SECONDS of the servers under test
PER_ADDRESS = 50  # the default cap
SOURCES = [f"127.0.0.{n}" for n in range(2, 7)]  # five addresses, as the attack used
EACH = 48  # downloads from each address: under the cap


def timed_out(server_class):
    class Served(server_class):
        def environment(self) -> dict:
            env = super().environment()
            env["GIFCHAT_SEND_TIMEOUT_SECONDS"] = str(SEND_TIMEOUT)
            env["GIFCHAT_MAX_CONNECTIONS"] = "1000"
            return env

    return Served


@pytest.fixture(scope="module", params=[LiveServer, WsgiServer], ids=["gunicorn", "eventlet"])
def server(request, tmp_path_factory):
    with running(tmp_path_factory.mktemp("downloads"), 3600, timed_out(request.param)) as live:
        yield live


@pytest.fixture
def big_gif(server):
    """A member of a room, and a 5 MiB GIF of that room (stored as an upload would be)."""
    member = Person(server)
    room_id = member.create_room("Downloads")
    member.visit(f"/room/{room_id}")
    yield member, big_gif_of(server, room_id)
    member.close()


def test_stuck_downloads_hold_no_copy_of_the_file_and_give_memory_back(server, big_gif):
    member, name = big_gif
    pid = worker(server)
    before = rss_mib(pid)
    held = []
    try:
        for source in SOURCES:
            for _ in range(EACH):
                held.append(start_download(server, member, name, source))
        assert {status_of(sock) for sock in held} == {200}
        during = rss_mib(pid)
        # The old code held a copy per download: 240 × 5 MiB.
        assert during - before < 100, (before, during)
    finally:
        for sock in held:
            sock.close()
    assert member.get("/healthz").status_code == 200
    after = rss_mib(pid)
    assert after - before < 100, (before, during, after)


def test_downloads_count_against_the_cap_and_a_stuck_one_is_cut_off(server, big_gif):
    member, name = big_gif
    source = "127.0.0.9"
    held = [start_download(server, member, name, source) for _ in range(PER_ADDRESS)]
    try:
        assert {status_of(sock) for sock in held} == {200}
        assert answers(server, source, member, name) == 429  # the cap counts downloads
        # No byte taken for SEND_TIMEOUT seconds: the server lets each go, and the place with it.
        assert wait_for(lambda: answers(server, source, member, name) == 200, SEND_TIMEOUT * 5)
    finally:
        for sock in held:
            sock.close()
