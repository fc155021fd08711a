"""Journeys through a restarted server and a failed send: what was typed still goes, once, with
one clear line when it cannot; the participants keep their order; the phone room fits."""

import json
import re

import pytest

from harness.live_server import running

from .people import ACTION_MS, PHONE, expect

pytestmark = pytest.mark.browser

BACK_MS = 2 * ACTION_MS  # Socket.IO's back-off between attempts grows to 5 s, then the replay
SOCKETS = "**/socket.io/**"  # the live feed's requests; posting goes through
NOT_PRESENT_EN = "Join the room first: open its page to take part."
FAILED = "요청이 실패했습니다. 다시 시도해 주세요."


@pytest.fixture
def server(browser, tmp_path, async_mode):
    """A server of this test's own: it is stopped and started again on the same folder."""
    with running(tmp_path, grace_seconds=120, mode=async_mode) as live:
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

    # A is on the room's page and types: the message shows, and waits for the page to be back.
    a.type_message("다시 왔어요")
    mine = a.message("다시 왔어요")
    expect(mine).to_have_class(re.compile(r"\bpending\b"))
    expect(a.page.locator("#chat")).to_have_value("")
    a.page.unroute(SOCKETS)
    expect(mine).not_to_have_class(re.compile(r"\bpending\b"), timeout=BACK_MS)
    expect(mine).to_have_count(1)
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
        # In another language than the page's: the page goes by the code, never by the text.
        body = json.dumps({"error": NOT_PRESENT_EN, "code": "not-present"})
        route.fulfill(status=403, content_type="application/json", body=body)

    a.page.route("**/chat", refuse_once)
    a.say("한 번 더")
    assert len(refused) == 1
    expect(a.message("한 번 더")).to_have_count(1)
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#send-failed")).to_be_hidden()


def test_a_send_that_fails_says_why_beside_the_message_with_retry(person, server):
    a = person("A", viewport=PHONE)
    a.create_room("보내지 못한 말")
    a.page.route("**/chat", lambda route: route.abort())
    a.type_message("나중에 갈 말")
    mine = a.message("나중에 갈 말")
    expect(mine.locator(".send-mark")).to_have_text("보내지 못함")
    expect(mine.locator(".send-reason")).to_have_text(FAILED)  # said once, beside it
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#send-failed")).to_be_hidden()
    a.screenshot("resume-phone-not-sent.png", full_page=False)

    a.page.unroute("**/chat")
    mine.get_by_role("button", name="다시 보내기").click()
    expect(mine).not_to_have_class(re.compile(r"\bpending\b"))
    expect(a.message("나중에 갈 말")).to_have_count(1)
    expect(a.page.locator("#chat-error")).to_be_hidden()


PHONE_390 = {"width": 390, "height": 844}
LONG_TITLE = ("영화의 밤 " * 20)[:100].strip()
GEOMETRY = """(li) => {
  const box = (el) => el.getBoundingClientRect();
  const bubble = box(li.querySelector(".bubble"));
  const time = box(li.querySelector("time"));
  const tools = box(li.querySelector(".tools"));
  const reactions = box(li.querySelector(".reactions"));
  const mine = li.classList.contains("mine");
  return {
    timeGap: mine ? bubble.left - time.right : time.left - bubble.right,
    toolsFromCorner: Math.abs(mine ? tools.right - bubble.right : tools.left - bubble.left),
    toolsOnScreen: tools.left >= 0 && tools.right <= document.documentElement.clientWidth,
    // Under the bubble and its reactions (a hidden bar measures 0): never over a name line.
    toolsUnder: tools.top - Math.max(bubble.bottom, reactions.bottom),
  };
}"""
NEAR_PX = 16  # "next to the bubble": about one gap, not across the screen


def composer_rows(visitor) -> dict:
    return visitor.page.evaluate(
        """() => {
          const form = document.getElementById("chat-form");
          const shown = [...form.children].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 2 && r.height > 2 && getComputedStyle(el).position !== "absolute";
          });
          // Rows: runs of controls that overlap one another from top to bottom.
          const boxes = shown.map((el) => el.getBoundingClientRect()).sort((p, q) => p.top - q.top);
          let rows = 0, bottom = -Infinity;
          for (const r of boxes) {
            if (r.top >= bottom) rows += 1;
            bottom = Math.max(r.top >= bottom ? 0 : bottom, r.bottom);
          }
          const box = (sel) => form.querySelector(sel).getBoundingClientRect();
          const text = box("textarea"), send = box("button[type=submit]");
          return {rows, sameRow: send.top < text.bottom && text.top < send.bottom};
        }"""
    )


def test_the_phone_room_keeps_times_and_tools_by_their_bubbles(person):
    a = person("A", viewport=PHONE_390)
    b = person("B")
    room_id = a.create_room(LONG_TITLE)
    b.enter(room_id)
    b.page.locator("#whisper-to").select_option(a.handle)
    b.say("쉿")
    b.page.locator("#whisper-to").select_option("")
    b.say("모두 안녕")
    a.say("네")
    whisper = a.message("쉿")
    expect(whisper).to_be_visible()
    expect(a.message("모두 안녕")).to_be_visible()
    a.screenshot("resume-phone-room.png", full_page=False)

    # The composer: the box and Send on one row, the other controls on a second.
    composer = composer_rows(a)
    assert composer["sameRow"] and composer["rows"] <= 2, composer

    # A whisper's time sits by its bubble.
    assert whisper.evaluate(GEOMETRY)["timeGap"] <= NEAR_PX

    # Tapped, a message shows its tools in a row under its bubble, on the bubble's side; with
    # the picker open, the time stays by the bubble.
    hello = a.message("모두 안녕")
    hello.locator(".bubble .text").click()
    expect(hello.locator(".tools")).to_have_css("opacity", "1")
    hello.locator(".react-more").click()
    expect(hello.locator(".reactions.picking")).to_be_visible()
    a.screenshot("resume-phone-picker.png", full_page=False)
    shape = hello.evaluate(GEOMETRY)
    assert shape["timeGap"] <= NEAR_PX, shape
    assert shape["toolsFromCorner"] <= NEAR_PX, shape
    assert 0 <= shape["toolsUnder"] <= NEAR_PX and shape["toolsOnScreen"], shape
    mine = a.message("네")
    mine.locator(".bubble .text").click()
    shape = mine.evaluate(GEOMETRY)
    assert shape["timeGap"] <= NEAR_PX and shape["toolsFromCorner"] <= NEAR_PX, shape
    assert shape["toolsOnScreen"], shape
    a.screenshot("resume-phone-tools.png", full_page=False)

    # The long title: cut short in the header, whole on a tap, and named in full for hovering.
    title = a.page.locator(".room-head h1")
    expect(title).to_have_attribute("title", LONG_TITLE)
    clipped = "el => el.scrollHeight > el.clientHeight + 1"
    assert title.evaluate(clipped)
    title.click()
    assert not title.evaluate(clipped)
    expect(title).to_have_class("expanded")
    a.screenshot("resume-phone-title.png", full_page=False)


def test_on_a_desktop_the_participants_line_up_with_the_messages(person):
    a = person("A")
    a.create_room("나란히")
    tops = a.page.evaluate(
        """() => {
          const chat = document.querySelector("fieldset.chat");
          const legend = chat.querySelector("legend").getBoundingClientRect();
          // A fieldset's top border runs through the middle of its legend.
          const border = legend.top + legend.height / 2;
          const panel = document.getElementById("participants").getBoundingClientRect();
          return {messages: border, participants: panel.top};
        }"""
    )
    assert abs(tops["messages"] - tops["participants"]) <= 2, tops


@pytest.mark.parametrize(
    ("path", "target", "label"), [("/", "#main", "본문으로 건너뛰기"), ("/nope", "#main", None)]
)
def test_the_first_tab_offers_to_skip_to_the_content(person, path, target, label):
    a = person("A")
    a.page.goto(path)
    a.page.keyboard.press("Tab")
    link = a.page.locator(":focus")
    expect(link).to_have_class("skip-link")
    expect(link).to_be_in_viewport()
    if label:
        expect(link).to_have_text(label)
    a.page.keyboard.press("Enter")
    expect(a.page.locator(target)).to_be_focused()


def test_in_a_room_the_skip_link_goes_to_the_messages(person):
    a = person("A")
    a.create_room("건너뛰기")
    # The message box has the focus on arrival; before it, the skip link is the first stop.
    first = a.page.evaluate(
        """() => document.querySelector(
          'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]').className"""
    )
    assert first == "skip-link"
    link = a.page.locator(".skip-link")
    link.focus()
    expect(link).to_have_text("메시지로 건너뛰기")
    expect(link).to_be_in_viewport()
    a.page.keyboard.press("Enter")
    expect(a.page.locator("#chat-list")).to_be_focused()
