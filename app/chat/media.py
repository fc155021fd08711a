"""GIF checks: a real GIF by its content, and no bomb that a small file hides."""

import time
from functools import partial
from io import BytesIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from ..offload import Busy, run_blocking, slot


class InvalidGif(ValueError):
    """The upload is not a GIF we accept; str() says why, in the visitor's language."""

    status = 400


class DecodersBusy(InvalidGif):
    """Every GIF decoder stayed busy for the whole wait: the upload may be fine, try later."""

    status = 503


def check_upload(data: bytes) -> None:
    """Check an uploaded GIF with the configured caps, decoding it off the event loop."""
    config = current_app.config
    if len(data) > config["GIF_MAX_BYTES"]:  # refused before it takes a decoder
        raise InvalidGif(_l("The file is too large."))
    check = partial(
        check_gif,
        max_bytes=config["GIF_MAX_BYTES"],
        max_pixels=config["GIF_MAX_PIXELS"],
        max_frames=config["GIF_MAX_FRAMES"],
        max_total_pixels=config["GIF_MAX_TOTAL_PIXELS"],
        max_seconds=config["GIF_DECODE_SECONDS"],
    )
    try:
        with slot("gif", config["GIF_DECODERS"], config["GIF_DECODER_WAIT_SECONDS"]):
            run_blocking(check, data)
    except Busy as error:
        raise DecodersBusy(_l("Too many GIFs are being checked. Please try again.")) from error


def check_gif(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_frames: int,
    max_total_pixels: int,
    max_seconds: float | None = None,
) -> None:
    """Decode every frame; raise InvalidGif unless data is a GIF within the caps.

    Runs in a worker thread: no Flask context here, so messages stay lazy.
    """
    if not data:
        raise InvalidGif(_l("Choose a GIF file."))
    if len(data) > max_bytes:
        raise InvalidGif(_l("The file is too large."))
    # CPU time of this thread: a busy machine slows decoding down but spends no more of it.
    deadline = None if max_seconds is None else time.thread_time() + max_seconds
    # Image.verify() checks nothing for GIFs: only decoding every frame proves the file.
    try:
        with Image.open(BytesIO(data), formats=["GIF"]) as image:
            decoded = 0
            frame = 0
            while True:
                # Reading a frame's header grows the canvas to cover the frame's offset
                # (a 1x1 frame at 9000,9000 makes it 81 Mpx), and decoding then fills the
                # whole canvas: so the caps are checked after each seek, before each load.
                width, height = image.size
                if width * height > max_pixels:
                    raise InvalidGif(_l("The image is too large."))
                decoded += width * height
                if frame >= max_frames or decoded > max_total_pixels:
                    raise InvalidGif(_l("The animation is too long."))
                if deadline is not None and time.thread_time() > deadline:
                    raise InvalidGif(_l("The animation takes too long to decode."))
                image.load()
                frame += 1
                try:
                    image.seek(frame)
                except EOFError:
                    return
    except InvalidGif:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own bound on a canvas, met while reading a header (a warning only
        # where warnings are errors, as in the tests; the check above refuses it anyway).
        raise InvalidGif(_l("The image is too large.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise InvalidGif(_l("Only GIF images can be uploaded.")) from error
