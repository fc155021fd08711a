"""The GIF check: real GIFs in, everything else out, bombs defused."""

import pytest

from app.chat.media import InvalidGif, check_gif
from harness.gifs import HTML, gif, png

CAPS = {
    "max_bytes": 5 * 1024 * 1024,
    "max_pixels": 1000 * 1000,
    "max_frames": 50,
    "max_total_pixels": 2_000_000,
}


@pytest.mark.parametrize("data", [gif(), gif(30, 20, frames=5)])
def test_accepts_real_gifs(data):
    check_gif(data, **CAPS)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(png(), id="png"),
        pytest.param(HTML, id="html"),
        pytest.param(b"GIF89a" + HTML, id="gif-header-then-html"),
        pytest.param(gif()[:20], id="truncated"),
        pytest.param(b"\x00" * 100, id="zeros"),
    ],
)
def test_refuses_what_is_not_a_gif(data):
    with pytest.raises(InvalidGif):
        check_gif(data, **CAPS)


def test_refuses_too_many_bytes():
    with pytest.raises(InvalidGif, match="too large"):
        check_gif(gif(), **{**CAPS, "max_bytes": 10})


def test_refuses_huge_canvas_from_a_small_file():
    data = gif(2000, 2000)
    assert len(data) < 100_000  # small on disk, four megapixels decoded
    with pytest.raises(InvalidGif, match="too large"):
        check_gif(data, **CAPS)


def test_refuses_too_many_frames():
    with pytest.raises(InvalidGif, match="too long"):
        check_gif(gif(frames=60), **CAPS)


def test_refuses_too_many_pixels_over_all_frames():
    with pytest.raises(InvalidGif, match="too long"):
        check_gif(gif(500, 500, frames=10), **CAPS)
