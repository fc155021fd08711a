"""What a test tier needs installed: missing, it skips on a developer's machine and fails in CI."""

import importlib
import os

import pytest

# CI sets CI=true; GIFCHAT_REQUIRE_BROWSER=1 asks the same of any machine.
REQUIRED = (
    os.environ.get("CI", "").lower() in ("1", "true", "yes")
    or os.environ.get("GIFCHAT_REQUIRE_BROWSER") == "1"
)


def unavailable(reason: str):
    """Skip the tests that need what is missing, or fail them where everything is required."""
    if REQUIRED:
        pytest.fail(f"{reason}, and CI requires it", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require(module: str, package: str):
    """Import `module` for a test module, or skip (fail in CI) naming the package to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        unavailable(f"{package} is not installed (pip install -e '.[dev]')")
