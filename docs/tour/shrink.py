"""The README's tour images, from the screenshots tests/browser/test_tour.py takes.

    python docs/tour/shrink.py

Reads test-artifacts/tour/, writes docs/tour/: desktop shots 960 px wide, the phone's at its
own 390 px, each as a PNG of at most 256 colors so the repository stays small.
"""

import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
SHOTS = HERE.parents[1] / "test-artifacts" / "tour"
# Screenshot name: width in the README. In the order the README shows them.
CHOSEN = {
    "lobby-en.png": 960,
    "room.png": 960,
    "gif-viewer.png": 960,
    "dark.png": 960,
    "phone.png": 390,
    "lobby-ko.png": 960,
}
COLORS = 256
COMMON = 128  # of them, the image's most frequent colors, kept exactly
LIMIT = 120 * 1024  # bytes: a README image above this is worth a second look


def reduce_colors(image: Image.Image) -> Image.Image:
    """The image in a palette of COLORS: its most frequent colors exactly (backgrounds, bubbles,
    text), the rest spread over every color it holds, not weighted by area, so a person's color
    seen in a few pixels of a name or a dot keeps its hue. (Pillow's own median cut weights by
    area and turned those grey.)"""
    colors = sorted(image.getcolors(maxcolors=1 << 24), reverse=True)
    palette = [rgb for _, rgb in colors[:COMMON]]
    spread = Image.new("RGB", (len(colors), 1))
    spread.putdata([rgb for _, rgb in colors])
    rest = spread.quantize(COLORS - COMMON, method=Image.Quantize.MEDIANCUT).getpalette()
    palette += [tuple(rest[i : i + 3]) for i in range(0, 3 * (COLORS - COMMON), 3)]
    nearest = {rgb: closest(rgb, palette) for _, rgb in colors}
    reduced = Image.new("P", image.size)
    reduced.putpalette([channel for rgb in palette for channel in rgb])
    pixels = getattr(image, "get_flattened_data", image.getdata)()  # the former before 12.1
    reduced.putdata([nearest[rgb] for rgb in pixels])
    return reduced


def closest(rgb: tuple[int, int, int], palette: list[tuple[int, int, int]]) -> int:
    """The index of the palette's color nearest to rgb, green counted most, as eyes do."""
    r, g, b = rgb
    return min(
        range(len(palette)),
        key=lambda i: (
            3 * (palette[i][0] - r) ** 2
            + 4 * (palette[i][1] - g) ** 2
            + 2 * (palette[i][2] - b) ** 2
        ),
    )


def shrink(source: Path, target: Path, width: int) -> int:
    """Scale one screenshot to `width`, reduce it to a palette, save it; its size in bytes."""
    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.width != width:
            height = round(image.height * width / image.width)
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        reduce_colors(image).save(target, optimize=True)
    return target.stat().st_size


def main() -> int:
    missing = [name for name in CHOSEN if not (SHOTS / name).is_file()]
    if missing:
        print(f"missing in {SHOTS}: {', '.join(missing)}; run tests/browser/test_tour.py first")
        return 1
    too_big = []
    for name, width in CHOSEN.items():
        size = shrink(SHOTS / name, HERE / name, width)
        print(f"docs/tour/{name}: {size / 1024:.0f} KiB")
        if size > LIMIT:
            too_big.append(name)
    if too_big:
        print(f"larger than {LIMIT // 1024} KiB: {', '.join(too_big)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
