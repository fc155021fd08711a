"""Messages people come back to: links, reactions and deletion seen live, who is typing,
unread counts while away, mentions, and GIFs sent again or opened large."""

import re

import pytest

from .people import ACTION_MS, expect, expect_loaded, room_of_two

pytestmark = pytest.mark.browser

# The tab hidden (true) or shown again (false), as the browser says it when one switches tabs.
HIDE = """hidden => {
  const state = () => (hidden ? "hidden" : "visible");
  Object.defineProperty(document, "visibilityState", {configurable: true, get: state});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_links_reactions_and_deletion_are_seen_live(person):
    _room_id, a, b = room_of_two(person, "반응")
    a.say("여기 보세요 https://example.org/cats?x=1. 그리고 javascript:alert(1)")
    heard = b.message("여기 보세요 https://example.org/cats?x=1. 그리고 javascript:alert(1)")
    link = heard.locator(".bubble a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "https://example.org/cats?x=1")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(link).to_have_text("https://example.org/cats?x=1")

    # B reacts through "more reactions"; A sees the count arrive, then adds theirs.
    heard.hover()  # the message's tools show on hover (or focus, or a tap on the bubble)
    heard.locator(".react-more").click()
    heard.locator('button.reaction[data-emoji="👍"]').click()
    expect(heard.locator('button.reaction[data-emoji="👍"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    mine = a.message("여기 보세요 https://example.org/cats?x=1. 그리고 javascript:alert(1)")
    thumbs = mine.locator('button.reaction[data-emoji="👍"]')
    expect(thumbs).to_be_visible()
    expect(thumbs.locator(".count")).to_have_text("1")
    expect(thumbs).to_have_attribute("aria-pressed", "false")
    thumbs.click()
    expect(thumbs).to_have_attribute("aria-pressed", "true")
    expect(heard.locator('button.reaction[data-emoji="👍"] .count')).to_have_text("2")
    expect(heard.locator('button.reaction[data-emoji="👍"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    a.screenshot("messages-reactions.png")

    # Only the author (or the owner) is offered "Delete"; it asks once more, then it is gone.
    a_says = b.say("지울 메시지")
    expect(a.message("지울 메시지")).to_be_visible()
    a_says.hover()
    delete = a_says.locator(".delete-message")
    expect(delete).to_be_visible()
    delete.click()
    expect(delete).to_have_text("삭제할까요? 한 번 더 누르세요")
    delete.click()
    expect(b.message("지울 메시지")).to_have_count(0)
    expect(a.message("지울 메시지")).to_have_count(0)
    b.reload()
    expect(b.message("지울 메시지")).to_have_count(0)
    expect(b.message("여기 보세요 https://example.org/cats?x=1. 그리고 javascript:alert(1)")
           .locator('button.reaction[data-emoji="👍"] .count')).to_have_text("2")  # fmt: skip


def test_the_owner_may_delete_anyones_message_and_others_may_not(person):
    _room_id, a, b = room_of_two(person, "방장 삭제")
    b.say("B의 말")
    a_view = a.message("B의 말")
    tools = a_view.locator(".tools")
    a.page.mouse.move(0, 0)
    expect(tools).to_have_css("opacity", "0")  # out of the way until wanted
    a_view.locator(".bubble").click()  # a tap on the bubble shows its tools, hover or not
    expect(tools).to_have_css("opacity", "1")
    expect(a_view.locator(".delete-message")).to_be_visible()
    a.say("A의 말")
    expect(b.message("A의 말").locator(".delete-message")).to_be_hidden()
    a_view.locator(".delete-message").click()
    a_view.locator(".delete-message").click()
    expect(b.message("B의 말")).to_have_count(0)


def test_typing_indicator_appears_and_goes(person):
    _room_id, a, b = room_of_two(person, "입력 중")
    indicator = b.page.locator("#typing")
    a.page.locator("#chat").press_sequentially("안녕")
    expect(indicator.locator(".seen")).to_have_text(f"{a.color}님이 입력 중…")
    b.screenshot("messages-typing.png", full_page=False)
    a.page.locator("#chat").press("Enter")
    expect(b.message("안녕")).to_be_visible()
    expect(indicator).to_have_text("")
    # Typing, then emptying the box, says I stopped.
    a.page.locator("#chat").press_sequentially("음")
    expect(indicator.locator(".seen")).to_have_text(f"{a.color}님이 입력 중…")
    a.page.locator("#chat").press("Backspace")
    expect(indicator).to_have_text("")


def test_unread_count_in_the_title_while_hidden_and_mentions(person):
    _room_id, a, b = room_of_two(person, "안 읽은 메시지")
    title = b.page.title()
    b.page.evaluate(HIDE, True)
    a.say("하나")
    a.say(f"@{b.color} 둘")
    expect(b.page).to_have_title(f"(2) {title}")
    b.page.evaluate(HIDE, False)
    expect(b.page).to_have_title(title)
    mention = b.message(f"@{b.color} 둘")
    expect(mention).to_have_class(re.compile(r"\bmentions-me\b"))
    expect(mention.locator("mark.mention")).to_have_text(f"@{b.color}")
    expect(a.message(f"@{b.color} 둘").locator("mark")).to_have_count(0)
    expect(b.page.locator("#notify-toggle")).to_have_attribute("aria-pressed", "false")


def test_a_gif_sent_again_from_the_picker_and_opened_large(person, gif_path):
    _room_id, a, b = room_of_two(person, "GIF 다시")
    a.page.locator("#gif").set_input_files(gif_path)
    expect_loaded(b.page.locator("#chat-list li.message.other img.gif"))
    expect(a.page.locator("#upload-status")).to_be_hidden()

    toggle = b.page.locator("#gif-picker-toggle")
    toggle.click()
    choice = b.page.locator("#gif-picker button.gif-choice")
    expect(choice).to_have_count(1)
    expect(choice).to_be_focused()
    b.screenshot("messages-gif-picker.png", full_page=False)
    choice.press("Enter")
    expect(b.page.locator("#gif-picker")).to_be_hidden()
    expect(toggle).to_be_focused()
    again = a.page.locator("#chat-list li.message img.gif")
    expect(again).to_have_count(2)
    expect(a.page.locator("#chat-list li.message.other img.gif")).to_have_count(1)
    expect_loaded(again.last)

    # The viewer: Enter on a GIF opens it large, Esc closes it, focus is back on the GIF.
    gif = b.page.locator("#chat-list li.message img.gif").first
    gif.focus()
    gif.press("Enter")
    viewer = b.page.locator("#gif-viewer")
    expect(viewer).to_be_visible()
    expect_loaded(viewer.locator("img"))
    b.screenshot("messages-gif-viewer.png", full_page=False)
    b.page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(gif).to_be_focused()
    # A tall GIF is kept from filling the screen.
    height = gif.evaluate("img => parseFloat(getComputedStyle(img).maxHeight)")
    assert 0 < height <= 320


# Notifications the page shows, recorded: the browser's own are not visible to a test.
NOTIFICATION_PROBE = """
(() => {
  const Real = window.Notification;
  window.__notified = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notified.push([title, options && options.body]);
    }
  }
  Object.defineProperty(Recorded, "permission", {get: () => Real.permission});
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
})();
"""


def test_notifications_for_whispers_and_mentions_once_switched_on(person):
    _room_id, a, b = room_of_two(person, "알림")
    b.context.grant_permissions(["notifications"])
    b.context.add_init_script(NOTIFICATION_PROBE)
    b.reload()
    toggle = b.page.locator("#notify-toggle")
    expect(toggle.locator(".label")).to_have_text("알림 꺼짐")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle.locator(".label")).to_have_text("알림 켜짐")
    b.page.evaluate(HIDE, True)
    a.say("아무나 들으세요")
    a.say(f"@{b.color} 봐요")
    expect(b.message(f"@{b.color} 봐요")).to_have_count(1)
    notified = b.page.evaluate("() => window.__notified")
    [(heading, body)] = notified  # read out by the system: "Guest" and a color word, no code
    assert heading.startswith("손님, ") and heading.endswith("님이 나를 언급했습니다"), heading
    assert a.color not in heading and body == f"@{b.color} 봐요"
    b.reload()  # the choice is kept
    expect(b.page.locator("#notify-toggle")).to_have_attribute("aria-pressed", "true")


def test_an_upload_names_its_file_and_can_be_cancelled(person, gif_path):
    _room_id, a, b = room_of_two(person, "업로드 취소")
    held = []
    a.page.route("**/gif", lambda route: held.append(route))  # the upload never gets an answer
    a.page.locator("#gif").set_input_files(gif_path)
    status = a.page.locator("#upload-status")
    expect(status).to_be_visible()
    expect(status.locator(".upload-name")).to_have_text("hello.gif")
    a.screenshot("messages-upload.png", full_page=False)
    status.get_by_role("button", name="취소").click()
    expect(status).to_be_hidden()
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#send-failed")).to_be_hidden()
    a.page.unroute("**/gif")
    a.say("업로드 없이")
    expect(b.message("업로드 없이")).to_be_visible()
    expect(b.page.locator("#chat-list img.gif")).to_have_count(0)


def test_deletions_and_reactions_made_while_away_are_caught_up(person):
    _room_id, a, b = room_of_two(person, "그사이")
    a.say("곧 지울 말")
    a.say("반응할 말")
    expect(b.message("반응할 말")).to_be_visible()
    b.context.set_offline(True)
    banner = b.page.locator("#connection-status")
    expect(banner).to_have_text("연결이 끊겼습니다. 다시 연결하는 중…")
    doomed = a.message("곧 지울 말")
    doomed.hover()
    doomed.locator(".delete-message").click()
    doomed.locator(".delete-message").click()
    expect(doomed).to_have_count(0)
    liked = a.message("반응할 말")
    liked.hover()
    liked.locator(".react-more").click()
    liked.locator('button.reaction[data-emoji="🎉"]').click()
    expect(liked.locator('button.reaction[data-emoji="🎉"] .count')).to_have_text("1")
    b.context.set_offline(False)
    expect(banner).to_be_hidden(timeout=2 * ACTION_MS)  # Socket.IO's back-off, then the replay
    expect(b.message("곧 지울 말")).to_have_count(0)
    party = b.message("반응할 말").locator('button.reaction[data-emoji="🎉"]')
    expect(party.locator(".count")).to_have_text("1")
    expect(party).to_have_attribute("aria-pressed", "false")
