"""Small things that add up: the newest message stays in view as GIFs load, notifications
and mentions by name, focus after a delete, still GIFs for less motion, whispered typing,
and a calm empty room."""

import re

import pytest

from .conftest import animated_gif
from .people import ACTION_MS, expect, expect_loaded, room_of_three, room_of_two
from .test_messages import HIDE, NOTIFICATION_PROBE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# How far the list is from its bottom (0 when the newest message is fully in view).
GAP = "list => list.scrollHeight - list.scrollTop - list.clientHeight"


@pytest.fixture(scope="module")
def tall_gif(tmp_path_factory):
    """A tall animated GIF, taller than a phone's list once shown."""
    path = tmp_path_factory.mktemp("tall") / "tall.gif"
    shades = ("#2e86ab", "#a23b72", "#f18f01")
    return animated_gif(path, (120, 900), shades, dot=(20, 400, 100, 480))


def expect_at_bottom(someone) -> None:
    """The list is scrolled to its end and no "new messages" pill is offered."""
    chat_list = someone.page.locator("#chat-list")
    someone.page.wait_for_function(
        f"() => ({GAP})(document.getElementById('chat-list')) < 2", timeout=ACTION_MS
    )
    expect(someone.page.locator("#new-messages")).to_be_hidden()
    assert chat_list.evaluate(GAP) < 2


def test_opening_a_room_whose_newest_message_is_a_tall_gif_shows_it_whole(person, tall_gif):
    a = person("A")
    room_id = a.create_room("긴 GIF")
    for n in range(8):
        a.say(f"줄 {n}")
    a.page.locator("#gif").set_input_files(tall_gif)
    expect_loaded(a.page.locator("#chat-list li.message img.gif"))
    expect_at_bottom(a)
    a.page.locator("#gif-picker-toggle").click()  # on a desktop too
    expect_loaded(a.page.locator("#gif-picker button.gif-choice img").first)
    expect_at_bottom(a)

    b = person("B", viewport=PHONE)
    b.enter(room_id)
    gif = b.page.locator("#chat-list li.message img.gif")
    expect_loaded(gif)
    expect_at_bottom(b)
    b.screenshot("polish-tall-gif-phone.png", full_page=False)

    # Recent GIFs opens above the composer: the list gets shorter, the newest stays in view.
    b.page.locator("#gif-picker-toggle").click()
    expect_loaded(b.page.locator("#gif-picker button.gif-choice img").first)
    expect_at_bottom(b)
    b.page.keyboard.press("Escape")
    expect(b.page.locator("#gif-picker")).to_be_hidden()
    expect_at_bottom(b)
    # A reader who scrolled up to read is left where they are when something arrives.
    b.page.locator("#chat-list").evaluate("list => { list.scrollTop = 0; }")
    a.say("새 소식")
    expect(b.page.locator("#new-messages")).to_be_visible()
    assert b.page.locator("#chat-list").evaluate(GAP) > 100


def test_a_list_that_follows_the_newest_message_stays_down_when_layout_moves_it_up(person):
    a = person("A")
    a.create_room("따라가기")
    for n in range(20):
        a.say(f"줄 {n}")
    expect_at_bottom(a)
    # What a GIF's arrival can do: the newest message is laid out shorter for a moment (the
    # browser moves the list up to fit), then taller than before once the GIF's size is known.
    a.page.locator("#chat-list").evaluate(
        """list => {
          const newest = list.lastElementChild;
          newest.hidden = true;
          void list.scrollHeight;
          newest.hidden = false;
          newest.style.paddingBottom = "300px";
        }"""
    )
    expect_at_bottom(a)


def test_mentions_by_a_new_name_and_its_first_word_and_notifications_by_name(person):
    _room_id, a, b = room_of_two(person, "이름 언급")
    b.context.grant_permissions(["notifications"])
    b.context.add_init_script(NOTIFICATION_PROBE)
    b.reload()
    b.page.locator("#notify-toggle").click()
    expect(b.page.locator("#notify-toggle")).to_have_attribute("aria-pressed", "true")

    # Renamed in the room, no reload: mentions of the new name are marked at once.
    b.set_name("Alice Wonderland the Third!!")
    a.set_name("Mina")
    a.say("@Alice 봐요")
    a.say("@Alice Wonderland, 안녕")
    a.say("@Alicex 아님")
    a.say(f"@{b.color} 색으로는 아님")
    marks = {
        "@Alice 봐요": "@Alice",
        "@Alice Wonderland, 안녕": "@Alice Wonderland",
    }
    for text, marked in marks.items():
        expect(b.message(text).locator("mark.mention")).to_have_text(marked)
        expect(b.message(text)).to_have_class(re.compile(r"\bmentions-me\b"))
    expect(b.message("@Alicex 아님").locator("mark")).to_have_count(0)
    # A color is anyone's who draws it: once she has a name, it no longer mentions her.
    expect(b.message(f"@{b.color} 색으로는 아님").locator("mark")).to_have_count(0)

    # Away, a mention notifies by the name the list shows, not the color's code alone.
    b.page.evaluate(HIDE, True)
    a.say("@alice 어디 있어요?")
    expect(b.message("@alice 어디 있어요?")).to_have_count(1)
    notified = b.page.evaluate("() => window.__notified")
    assert notified == [["Mina님이 나를 언급했습니다", "@alice 어디 있어요?"]]  # no code


def test_deleting_with_the_keyboard_keeps_focus_in_the_messages(person):
    a = person("A", color_scheme="dark", reduced_motion="reduce")
    a.create_room("키보드 삭제")
    for text in ("하나", "둘", "셋"):
        a.say(text)
    focused = "() => document.activeElement.closest('li')?.dataset.id || document.activeElement.id"

    def delete(text):
        button = a.message(text).locator("button.delete-message")
        a.message(text).focus()  # a message's tools are focusable once it has the focus
        button.focus()
        a.page.keyboard.press("Enter")
        expect(button).to_have_text("삭제할까요? 한 번 더 누르세요")
        a.page.keyboard.press("Enter")
        expect(a.message(text)).to_have_count(0)

    # The message below takes focus, on its first tool; the last one's neighbour is above.
    below = a.message("셋").get_attribute("data-id")
    delete("둘")
    assert a.page.evaluate(focused) == below
    above = a.message("하나").get_attribute("data-id")
    delete("셋")
    assert a.page.evaluate(focused) == above
    delete("하나")
    expect(a.page.locator("#chat-list")).to_be_focused()


def test_with_less_motion_gifs_stay_still_open_large_and_are_told_apart(person, gif_path):
    _room_id, a, b = room_of_two(
        person, "덜 움직이게", color_scheme="dark", reduced_motion="reduce"
    )
    a.page.locator("#gif").set_input_files(gif_path)
    expect(a.page.locator("#chat-list li.message.mine img.gif")).to_have_count(1)
    a.page.locator("#gif").set_input_files(gif_path)
    expect(a.page.locator("#chat-list li.message.mine img.gif")).to_have_count(2)

    # The still frame opens large, by click and by Enter, and stays still there.
    frames = b.page.locator("#chat-list canvas.gif-still")
    expect(frames).to_have_count(2)
    b.page.wait_for_function(
        "() => [...document.querySelectorAll('#chat-list canvas.gif-still')].every(c => c.width)",
        timeout=ACTION_MS,
    )
    expect(b.page.locator("#chat-list img.gif").first).to_be_hidden()
    viewer = b.page.locator("#gif-viewer")
    frames.first.click(position={"x": 4, "y": 4})  # beside the play button over its middle
    expect(viewer).to_be_visible()
    expect_loaded(viewer.locator("img"))
    assert viewer.locator("img").get_attribute("src").startswith("data:image/")
    b.page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    frames.last.focus()
    b.page.keyboard.press("Enter")
    expect(viewer).to_be_visible()
    b.page.keyboard.press("Escape")
    expect(frames.last).to_be_focused()

    # Recent GIFs: still frames too, each with a name of its own.
    b.page.locator("#gif-picker-toggle").click()
    choices = b.page.locator("#gif-picker button.gif-choice")
    expect(choices).to_have_count(2)
    expect(choices.locator("img").first).to_be_hidden()
    expect(choices.locator("canvas")).to_have_count(2)
    labels = [choices.nth(n).get_attribute("aria-label") for n in range(2)]
    assert labels[0] != labels[1]
    for n, label in enumerate(labels):
        assert label.startswith("이 GIF 다시 보내기 · ") and f"{n + 1}/2" in label
        assert "손님, " in label and a.color not in label  # heard as a color word, not a code
    b.screenshot("polish-still-gifs-dark.png", full_page=False)


# Every text the typing line of a page shows, recorded as it changes.
TYPING_LOG = """() => {
  window.__typing = [];
  const line = document.getElementById("typing");
  const seen = () => (line.querySelector(".seen") || line).textContent;
  new MutationObserver(() => window.__typing.push(seen())).observe(
    line, {childList: true, characterData: true, subtree: true});
}"""


def test_typing_a_whisper_is_shown_to_its_addressee_only(person):
    _room_id, a, b, c = room_of_three(person, "귓속말 입력")
    c.page.evaluate(TYPING_LOG)

    a.page.locator(f'button.whisper[data-handle="{b.handle}"]').click()
    expect(a.page.locator("#whisper-banner")).to_be_visible()
    a.page.locator("#chat").press_sequentially("비밀")
    expect(b.page.locator("#typing .seen")).to_have_text(f"{a.color}님이 입력 중…")
    a.page.locator("#chat").press("Enter")
    expect(b.message("비밀")).to_be_visible()
    expect(b.page.locator("#typing")).to_have_text("")
    # Then to everyone: C hears of that typing, and only that.
    a.page.locator("#chat").press_sequentially("모두")
    expect(c.page.locator("#typing .seen")).to_have_text(f"{a.color}님이 입력 중…")
    a.page.locator("#chat").press("Enter")
    expect(c.message("모두")).to_be_visible()
    seen = c.page.evaluate("() => window.__typing")
    assert seen.count(f"{a.color}님이 입력 중…") == 1, seen


def test_an_empty_room_invites_a_first_message_and_shows_its_start_with_it(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("조용한 방")
    b.enter(room_id)
    expect(a.notice("join", b.color)).to_be_visible()
    for someone in (a, b):
        expect(someone.page.locator("#chat-empty")).to_be_visible()
        expect(someone.page.locator("#chat-list > li.room-start")).to_have_count(0)
    a.screenshot("polish-empty-room.png", full_page=False)
    b.say("처음")
    for someone in (a, b):
        expect(someone.page.locator("#chat-empty")).to_be_hidden()
        start = someone.page.locator("#chat-list > li.room-start")
        expect(start).to_have_count(1)
        expect(someone.page.locator("#chat-list > li").first).to_have_class(
            re.compile(r"\broom-start\b")
        )
