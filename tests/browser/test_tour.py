"""The README's tour: three friends plan a movie night, and what each of them sees on the way.

Screenshots go to test-artifacts/tour/; docs/tour/shrink.py makes the README's images of them.
"""

import re

import pytest
from PIL import Image, ImageDraw, ImageFont

from .people import ARTIFACTS, DESKTOP, GRACE, expect, expect_loaded
from .test_people import take_color

pytestmark = pytest.mark.browser

TOUR = ARTIFACTS / "tour"
PHONE = {"width": 390, "height": 844}  # a common phone, taller than the layout tests' smallest
# Fixed colors instead of the drawn ones, so every run's pictures look the same.
COLORS = {"Mina": "#c2255c", "Jae": "#1971c2", "Sam": "#2b8a3e"}
ENGLISH = {"locale": "en-US", "timezone_id": "UTC", "color_scheme": "light"}

TITLE = "Friday movie night"
ASK = "Who's up for a movie on Friday? 🍿"
LINK = "https://example.com/the-heist"
TRAILER = f"Me! This one looks fun: {LINK}"
SNACKS = "Count me in! @Mina can you bring the snacks?"
SURE = "Sure, popcorn is on me 😄"
WHISPER = "Psst, Friday is Sam's birthday 🎂 let's surprise him"
SECRET_OK = "Great idea, I'll order a cake!"
DRAFT = "I'll bring the drinks"


@pytest.fixture(scope="module")
def popcorn_gif(tmp_path_factory):
    """A popcorn GIF whose every frame is a finished picture, whichever one a screenshot catches."""
    font = ImageFont.load_default(size=30)
    frames = []
    kernels = [(88, 68), (108, 60), (128, 64), (148, 70), (118, 74), (98, 78)]
    for step in range(4):
        frame = Image.new("RGB", (240, 150), "#2b2d42")
        draw = ImageDraw.Draw(frame)
        draw.polygon([(80, 76), (160, 76), (152, 142), (88, 142)], fill="#ffffff")
        for x in (92, 112, 132):
            draw.polygon([(x - 3, 76), (x + 7, 76), (x + 5, 142), (x - 3, 142)], fill="#ef233c")
        for index, (x, y) in enumerate(kernels):
            lift = 12 if index % 4 == step else 0
            box = (x - 11, y - 11 - lift, x + 11, y + 11 - lift)
            draw.ellipse(box, fill="#ffe8a3", outline="#e9c46a", width=2)
        draw.text((120, 26), "Movie night!", font=font, fill="#ffd166", anchor="mm")
        frames.append(frame)
    path = tmp_path_factory.mktemp("tour") / "popcorn.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=180, loop=0)
    return path


def shot(someone, name: str, below: str | None = None) -> None:
    """What someone's screen shows now, CSS animations stopped and no text caret; with `below`,
    only down to a little under that element, for a page that leaves the rest blank."""
    TOUR.mkdir(parents=True, exist_ok=True)
    someone.page.mouse.move(0, 0)  # no message's tools shown by a resting pointer
    clip = None
    if below is not None:
        box = someone.page.locator(below).bounding_box()
        clip = {"x": 0, "y": 0, "width": DESKTOP["width"], "height": box["y"] + box["height"] + 32}
    someone.page.screenshot(path=str(TOUR / name), animations="disabled", caret="hide", clip=clip)


def named_person(person, name: str, color: str, **options):
    """A visitor with a fixed color, who has chosen `name` in the header."""
    someone = person(name, **{**ENGLISH, **options})
    take_color(someone, color, someone.server)
    someone.set_name(name)
    return someone


def react(message, emoji: str) -> None:
    """Add a reaction through the message's "more reactions" tools, shown on hover."""
    message.hover()
    message.locator(".react-more").click()
    message.locator(f'button.reaction[data-emoji="{emoji}"]').click()
    expect(message.locator(f'button.reaction[data-emoji="{emoji}"]')).to_have_attribute(
        "aria-pressed", "true"
    )


def test_the_tour_three_friends_plan_a_movie_night(person, popcorn_gif):
    mina = named_person(person, "Mina", COLORS["Mina"])
    jae = named_person(person, "Jae", COLORS["Jae"])
    sam = named_person(person, "Sam", COLORS["Sam"], viewport=PHONE, is_mobile=True, has_touch=True)

    room_id = mina.create_room(TITLE, max=8)
    jae.open_lobby()
    row = jae.lobby_row(room_id)
    expect(row.locator(".owner .color-name")).to_have_text("Mina")
    row.get_by_role("link", name="Enter").click()
    jae.wait_joined()
    sam.enter(room_id)
    for someone in (mina, jae, sam):
        expect(someone.page.locator("#participant-count")).to_have_text("3")

    # A question, an answer with a link and a GIF, named once for the run of the same person.
    mina.say(ASK)
    jae.say(TRAILER)
    jae.page.locator("#gif").set_input_files(popcorn_gif)
    for someone in (mina, sam):
        expect_loaded(someone.page.locator("#chat-list li.message.other img.gif"))
    heard = mina.message(TRAILER)
    expect(heard.locator(".meta .color-name")).to_have_text("Jae")
    expect(heard.locator(".bubble a")).to_have_attribute("href", LINK)
    gif_item = mina.page.locator("#chat-list li.message").filter(has=mina.page.locator("img.gif"))
    expect(gif_item.locator(".meta .color-name")).to_have_text("Jae")  # for screen readers
    assert gif_item.locator(".meta").bounding_box()["height"] <= 4, "Jae named twice in a row"
    expect(jae.page.locator("#upload-status")).to_be_hidden()

    # Sam, on the phone, asks Mina by name; Mina's copy marks the mention, nobody else's does.
    sam.say(SNACKS)
    expect(mina.message(SNACKS).locator("mark.mention")).to_have_text("@Mina")
    expect(jae.message(SNACKS).locator("mark")).to_have_count(0)
    react(mina.message(SNACKS), "👍")
    react(jae.message(SNACKS), "👍")
    for someone in (mina, jae, sam):
        expect(
            someone.message(SNACKS).locator('button.reaction[data-emoji="👍"] .count')
        ).to_have_text("2")
    mina.say(SURE)

    # A whisper from Mina to Jae, pinned so the banner stays for another: Sam never sees it.
    mina.page.locator(f'button.whisper[data-handle="{jae.handle}"]').click()
    mina.page.locator("#whisper-pin").check()
    banner = mina.page.locator("#whisper-banner")
    expect(banner).to_be_visible()
    expect(mina.page.locator("#whisper-banner-text")).to_contain_text("Jae")
    mina.say(WHISPER)
    expect(jae.message(WHISPER)).to_have_class(re.compile(r"\bwhisper\b"))
    expect(banner).to_be_visible()

    # Sam starts typing; the others are told, and Sam's phone shows nothing of the whisper.
    sam.page.locator("#chat").press_sequentially(DRAFT)
    typing = f"Sam ({COLORS['Sam']}) is typing…"
    expect(mina.page.locator("#typing .seen")).to_have_text(typing)
    expect(jae.page.locator("#typing .seen")).to_have_text(typing)
    mina.page.locator("#chat").focus()
    expect(mina.page.locator("#chat-list li.message").last).to_be_in_viewport()
    shot(mina, "room.png")
    expect(sam.page.get_by_text(WHISPER)).to_have_count(0)
    expect(sam.page.locator("#participants")).not_to_have_attribute("open", "")
    expect(sam.page.locator("#participant-list")).to_be_hidden()
    expect(sam.message(SURE)).to_be_in_viewport()
    sam.page.locator("#chat").blur()  # no keyboard focus ring in the picture
    shot(sam, "phone.png")
    sam.page.locator("#chat").press("Enter")
    expect(mina.message(DRAFT).locator(".meta .color-name")).to_have_text("Sam")
    expect(jae.page.locator("#typing")).to_have_text("")

    # Jae whispers back, opens the GIF large, then turns the lights down.
    jae.page.locator(f'button.whisper[data-handle="{mina.handle}"]').click()
    jae.say(SECRET_OK)
    expect(mina.message(SECRET_OK)).to_have_class(re.compile(r"\bwhisper\b"))
    expect(sam.message(DRAFT)).to_be_visible()
    expect(sam.page.get_by_text(SECRET_OK)).to_have_count(0)
    gif = jae.page.locator("#chat-list li.message img.gif")
    gif.click()
    viewer = jae.page.locator("#gif-viewer")
    expect(viewer).to_be_visible()
    expect_loaded(viewer.locator("img"))
    shot(jae, "gif-viewer.png")
    jae.page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    jae.page.locator("#theme-form button[value=dark]").click()
    expect(jae.page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(jae.message(WHISPER)).to_be_visible()
    jae.page.locator("#theme-form button[value=dark]").blur()
    shot(jae, "dark.png")

    # Two more rooms, so the lobby has some to show: a secret one and one in Korean.
    lee = named_person(person, "Lee", "#5f3dc4")
    secret_id = lee.create_room("Book club", password="chapter7")
    jiwoo = named_person(person, "지우", "#e8590c", locale="ko-KR")
    cats_id = jiwoo.create_room("고양이 짤 모음")
    for lang, locale in (("en", "en-US"), ("ko", "ko-KR")):
        visitor = named_person(person, {"en": "Alex", "ko": "하나"}[lang], "#0c8599", locale=locale)
        visitor.open_lobby()
        expect(visitor.page.locator("#lobby-intro")).to_be_visible()
        expect(visitor.lobby_row(room_id).locator(".count")).to_have_text("3")
        expect(visitor.lobby_row(room_id).locator(".owner .color-name")).to_have_text("Mina")
        expect(visitor.lobby_row(secret_id).locator(".count")).to_have_text("1")
        expect(visitor.lobby_row(cats_id).locator(".owner .color-name")).to_have_text("지우")
        # Only these: rooms earlier journeys left behind expire after the grace period.
        rows = visitor.page.locator("#room-list tbody tr")
        expect(rows).to_have_count(3, timeout=(GRACE + 8) * 1000)
        shot(visitor, f"lobby-{lang}.png", below="fieldset.rooms")
