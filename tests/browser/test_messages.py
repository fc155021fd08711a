"""Messages people come back to: links, reactions and deletion seen live, who is typing,
unread counts while away, mentions, and GIFs sent again or opened large."""

import re

import pytest

from .people import expect, expect_loaded

pytestmark = pytest.mark.browser

# The tab hidden (true) or shown again (false), as the browser says it when one switches tabs.
HIDE = """hidden => {
  const state = () => (hidden ? "hidden" : "visible");
  Object.defineProperty(document, "visibilityState", {configurable: true, get: state});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def room_of_two(person, title):
    a, b = person("A"), person("B")
    room_id = a.create_room(title)
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    return room_id, a, b


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
    expect(a_says.locator(".delete-message")).to_be_visible()
    delete = a_says.locator(".delete-message")
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
    expect(indicator).to_have_text(f"{a.color}님이 입력 중…")
    b.screenshot("messages-typing.png", full_page=False)
    a.page.locator("#chat").press("Enter")
    expect(b.message("안녕")).to_be_visible()
    expect(indicator).to_have_text("")
    # Typing, then emptying the box, says I stopped.
    a.page.locator("#chat").press_sequentially("음")
    expect(indicator).to_have_text(f"{a.color}님이 입력 중…")
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
