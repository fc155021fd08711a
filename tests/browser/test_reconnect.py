"""Journeys through a lost connection: the page says so, keeps what it could not send, and
catches up on everything said meanwhile, each message once and in order."""

import os
import re
import signal

import pytest

from harness.live_server import LiveServer, running

from .people import ACTION_MS, expect
from .test_history_and_language import SEED

pytestmark = pytest.mark.browser

PAGE_SIZE = 10  # HISTORY_PAGE_SIZE of this server: the gap below takes seven pages
SENT_MEANWHILE = 65
BACK_MS = 2 * ACTION_MS  # Socket.IO's back-off between attempts grows to 5 s, then the replay
SOCKETS = "**/socket.io/**"  # the live feed's requests; the page's other requests go through
OFFLINE = "연결이 끊겼습니다. 다시 연결하는 중…"
# Records every Content-Security-Policy violation the page meets (none may happen).
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class SmallPages(LiveServer):
    """The live server with short history pages, so a replay needs many of them."""

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_HISTORY_PAGE_SIZE"] = str(PAGE_SIZE)
        return env


@pytest.fixture
def server(browser, tmp_path, async_mode):
    """A server of this test's own (it is stopped and started again), with a long grace."""
    with running(tmp_path, grace_seconds=120, server_class=SmallPages, mode=async_mode) as live:
        yield live


def cut_off(visitor) -> None:
    """This visitor's browser can no longer reach the live feed (a network cut, for it alone)."""
    visitor.page.route(SOCKETS, lambda route: route.abort())


def texts(visitor) -> list[str]:
    return visitor.page.locator("#chat-list li.message .text").all_text_contents()


def test_after_a_lost_connection_the_page_shows_everything_said_meanwhile_once(
    person, server, gif_path
):
    a, b, c, d = person("A"), person("B"), person("C"), person("D")
    for visitor in (a, b, c, d):
        visitor.context.add_init_script(CSP_PROBE)
    room_id = a.create_room("끊겨도 괜찮아")
    b.enter(room_id)
    a.say("before")
    expect(b.message("before")).to_be_attached()
    doomed = d.create_room("곧 사라질 방")
    c.open_lobby()
    expect(c.lobby_row(room_id)).to_be_attached()
    expect(c.lobby_row(doomed)).to_be_attached()

    cut_off(a)
    cut_off(c)
    os.killpg(server.process.pid, signal.SIGKILL)  # a crash: no goodbye to any socket
    banner = a.page.locator("#connection-status")
    expect(banner).to_have_text(OFFLINE)
    expect(banner).to_have_attribute("role", "status")
    expect(c.page.locator("#connection-status")).to_have_text(OFFLINE)

    # What A sends while the server is down waits: the GIF marked as not sent, with the reason
    # and a way to retry; the message in the list, on its way until the page is back.
    a.page.locator("#gif").set_input_files(gif_path)
    expect(a.page.locator("#send-failed")).to_be_visible()
    a.type_message("while away")
    expect(a.message("while away")).to_have_class(re.compile(r"\bpending\b"))
    expect(a.page.locator("#chat")).to_have_value("")

    server.stop()
    server.start()  # the same port, database, sessions and GIFs
    # B's page rejoins by itself; only the rejoined B is listed (A is still cut off).
    expect(b.page.locator("#participant-list > li")).to_have_count(1, timeout=BACK_MS)
    b.page.evaluate(SEED, [SENT_MEANWHILE])  # seven pages of messages A has not seen
    d.page.locator("#delete-room").click()
    d.page.locator("#delete-room-confirm").click()
    expect(d.page).to_have_url(server.url + "/")
    new_room = d.create_room("그사이 생긴 방")
    expect(banner).to_have_text(OFFLINE)  # A is still cut off: nothing arrived live

    a.page.unroute(SOCKETS)
    c.page.unroute(SOCKETS)
    expect(banner).to_be_hidden(timeout=BACK_MS)
    expected = ["before"] + [f"history {i:03}" for i in range(1, SENT_MEANWHILE + 1)]
    # The message typed meanwhile may already have gone after them, or be on its way.
    shown = a.page.locator("#chat-list li.message .text")
    expect(shown.nth(len(expected) - 1)).to_have_text(expected[-1])
    assert texts(a)[: len(expected)] == expected
    stored = a.page.locator("#chat-list li:not(.pending)")
    ids = stored.evaluate_all("lis => lis.map(li => li.dataset.id)")
    assert len(ids) == len(set(ids)) and ids == sorted(ids), "shown twice or out of order"

    # The lobby read the list again: the room made while C was away is there, the one
    # deleted is gone.
    expect(c.page.locator("#connection-status")).to_be_hidden(timeout=BACK_MS)
    expect(c.lobby_row(new_room)).to_be_attached()
    expect(c.lobby_row(doomed)).to_have_count(0)
    expect(c.lobby_row(room_id).locator(".count")).to_have_text("2")

    # Back: what could not go (the GIF and the message) goes by itself, each once.
    expect(a.message("while away")).not_to_have_class(re.compile(r"\bpending\b"))
    expect(a.message("while away")).to_have_count(1)
    expect(a.page.locator("#send-failed")).to_be_hidden()
    expect(a.page.locator("#chat")).to_have_value("")
    expect(b.message("while away")).to_have_count(1)
    assert texts(a) == expected + ["while away"]
    for visitor in (a, b):
        expect(visitor.page.locator("#chat-list li.message .bubble img")).to_have_count(1)

    for visitor in (a, b, c, d):
        assert visitor.page.evaluate("window.__cspViolations") == [], visitor.name
    assert "Traceback" not in server.stderr()
