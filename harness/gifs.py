"""Files for upload tests, made on the spot."""

from io import BytesIO

from PIL import Image


def gif(width=4, height=4, frames=1) -> bytes:
    # Frames must differ, or Pillow merges them into one.
    images = [Image.new("L", (width, height), color=i * 7 % 256) for i in range(frames)]
    buffer = BytesIO()
    images[0].save(buffer, format="GIF", save_all=frames > 1, append_images=images[1:])
    return buffer.getvalue()


def heavy_gif(size: int, frames: int) -> bytes:
    """`frames` one-colour frames of size x size: small on disk, each decoded in full."""
    one = BytesIO()
    Image.new("L", (size, size), color=9).save(one, format="GIF")
    data = one.getvalue()
    flags = data[10]
    start = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    # The one frame's blocks, repeated: made in a blink, where encoding each costs seconds.
    return data[:start] + data[start:-1] * frames + b";"


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


HTML = b"<!doctype html><script>alert(1)</script>"
