"""Files for upload tests, made on the spot."""

from io import BytesIO

from PIL import Image


def gif(width=4, height=4, frames=1) -> bytes:
    # Frames must differ, or Pillow merges them into one.
    images = [Image.new("L", (width, height), color=i * 7 % 256) for i in range(frames)]
    buffer = BytesIO()
    images[0].save(buffer, format="GIF", save_all=frames > 1, append_images=images[1:])
    return buffer.getvalue()


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


HTML = b"<!doctype html><script>alert(1)</script>"
