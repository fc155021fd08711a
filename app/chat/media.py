"""GIF checks: a real GIF by its content, and no bomb that a small file hides."""

import warnings
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError


class InvalidGif(ValueError):
    """The upload is not a GIF we accept; the message says why."""


def check_gif(
    data: bytes, *, max_bytes: int, max_pixels: int, max_frames: int, max_total_pixels: int
) -> None:
    """Decode every frame; raise InvalidGif unless data is a GIF within the caps."""
    if not data:
        raise InvalidGif(_("Choose a GIF file."))
    if len(data) > max_bytes:
        raise InvalidGif(_("The file is too large."))
    # Image.verify() checks nothing for GIFs: only decoding every frame proves the file.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=["GIF"]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise InvalidGif(_("The image is too large."))
                total = 0
                for frames, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    total += width * height
                    if frames > max_frames or total > max_total_pixels:
                        raise InvalidGif(_("The animation is too long."))
                    frame.load()
    except InvalidGif:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise InvalidGif(_("Only GIF images can be uploaded.")) from error
