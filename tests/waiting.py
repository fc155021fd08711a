"""Waiting, bounded, for something a background task does."""

import time


def wait_for(predicate, seconds=3.0) -> bool:
    """Poll predicate until it holds or `seconds` pass; whether it came to hold."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
