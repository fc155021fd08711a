"""Journeys through a restarted server and a failed send: what was typed still goes, once, with
one clear line when it cannot; the participants keep their order; the phone room fits."""

import json

import pytest

from ..live_server import running
from .people import ACTION_MS, PHONE, expect

pytestmark = pytest.mark.browser

BACK_MS = 2 * ACTION_MS  # Socket.IO's back-off between attempts grows to 5 s, then the replay
SOCKETS = "**/socket.io/**"  # the live feed's requests; posting goes through
NOT_PRESENT = "먼저 방에 참여하세요: 방 페이지를 열어야 대화할 수 있습니다."
FAILED = "요청이 실패했습니다. 다시 시도해 주세요."


@pytest.fixture
def server(browser, tmp_path):
    """A server of this test's own: it is stopped and started again on the same folder."""
    with running(tmp_path, grace_seconds=120) as live:
        yield live


def names_in_panel(visitor) -> list[str]:
    return visitor.participants().evaluate_all("lis => lis.map(li => li.dataset.color)")


def test_a_message_typed_while_the_page_rejoins_after_a_restart_goes_once(person, server):
    a, b = person("A"), person("B")
    room_id = a.create_room("다시 켜진 서버")
    b.enter(room_id)
    a.expect_participants(a.color, b.color)
    b.expect_participants(a.color, b.color)

    # A's page cannot reach the live feed until the server is back and B has rejoined.
    a.page.route(SOCKETS, lambda route: route.abort())
    server.stop()
    server.start()  # the same port, database and sessions; who was where is forgotten
    expect(b.page.locator("#participant-list > li")).to_have_count(1, timeout=BACK_MS)

    # A is on the room's page and types: the message waits for the page to be back in.
    a.type_message("다시 왔어요")
    expect(a.page.locator("#chat")).to_have_value("다시 왔어요")
    a.page.unroute(SOCKETS)
    mine = a.message("다시 왔어요")
    expect(mine).to_have_count(1, timeout=BACK_MS)
    expect(a.page.locator("#chat")).to_have_value("")
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#send-failed")).to_be_hidden()
    expect(b.message("다시 왔어요")).to_have_count(1)

    # The owner is listed first for everyone, though B came back before A.
    a.expect_participants(a.color, b.color)
    b.expect_participants(a.color, b.color)
    assert "Traceback" not in server.stderr()


def test_a_refusal_between_two_joins_rejoins_and_sends_again(person, server):
    a = person("A")
    a.create_room("사이에 낀 메시지")
    refused = []

    def refuse_once(route):
        if refused:
            return route.fallback()
        refused.append(route.request.url)
        body = json.dumps({"error": NOT_PRESENT})
        route.fulfill(status=403, content_type="application/json", body=body)

    a.page.route("**/chat", refuse_once)
    a.say("한 번 더")
    assert len(refused) == 1
    expect(a.message("한 번 더")).to_have_count(1)
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#send-failed")).to_be_hidden()


def test_a_send_that_fails_shows_only_not_sent_and_retry(person, server):
    a = person("A", viewport=PHONE)
    a.create_room("보내지 못한 말")
    a.page.route("**/chat", lambda route: route.abort())
    a.type_message("나중에 갈 말")
    failed = a.page.locator("#send-failed")
    expect(failed).to_be_visible()
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.get_by_text(FAILED)).to_have_count(0)
    a.screenshot("resume-phone-not-sent.png", full_page=False)

    a.page.unroute("**/chat")
    failed.get_by_role("button").click()
    expect(a.message("나중에 갈 말")).to_have_count(1)
    expect(failed).to_be_hidden()
    expect(a.page.locator("#chat-error")).to_be_hidden()
