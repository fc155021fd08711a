"""Each library change in app/patches was read against the release installed: else, re-read it.

setup.cfg leaves these libraries open upward, so that a security release can be taken the day
it ships; a patch's private names may have changed in it. At run time a module meeting another
release leaves the library's own behaviour in place (or fails to start, naming itself); this
test makes the difference visible before deployment, with what to re-read and against what.
"""

import pytest

from app import patches


def _minor(release: str) -> str:
    return ".".join(release.split(".")[:2])


def test_every_patch_was_read_against_the_installed_release():
    stale = [
        f"re-audit app/patches/{patch.module.rsplit('.', 1)[1]} against"
        f" {patch.library} {_minor(patch.release)}"
        f" (it was read against {patch.read_against})"
        for patch in (module.PATCH for module in patches.modules())
        if patch.release is not None and not patch.release_matches()
    ]
    if stale:
        pytest.fail("; ".join(stale), pytrace=False)


def test_a_patch_read_against_another_release_says_what_to_re_read(monkeypatch):
    from app.patches import engineio_tasks

    monkeypatch.setattr(engineio_tasks.PATCH, "read_against", "4.14")
    assert not engineio_tasks.PATCH.release_matches()
    with pytest.raises(pytest.fail.Exception) as failed:
        test_every_patch_was_read_against_the_installed_release()
    release = _minor(engineio_tasks.PATCH.release)
    assert (
        f"re-audit app/patches/engineio_tasks against python-engineio {release}"
        " (it was read against 4.14)"
    ) in str(failed.value).split("; ")


def test_on_another_release_engineio_keeps_its_own_methods(monkeypatch, caplog):
    import engineio.socket

    from app.patches import engineio_tasks

    monkeypatch.setattr(engineio_tasks.PATCH, "read_against", "4.14")
    before = dict(vars(engineio.socket.Socket))
    assert engineio_tasks.install("gevent") is False
    assert dict(vars(engineio.socket.Socket)) == before
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "idle sockets keep their green threads" in caplog.records[0].getMessage()
