"""Every module of app/patches: read against the installed release, undone whole by uninstall().

A new module is picked up by itself; one whose install() takes arguments names them in
ARGUMENTS.
"""

import functools
import importlib
import importlib.util
import os
import pkgutil
import warnings

import pytest
from flask_wtf.csrf import CSRFProtect

from app import patches
from app.config import async_mode
from app.patches import PatchOutdated, flask_wtf_csrf
from app.protection.connections import ConnectionCounter
from app.visitor import sessions
from app.visitor.identity import has_identity
from app.visitor.sqlite_sessions import SessionNotSaved

# A stack installs one server loop or both: the gevent one (requirements-gevent.lock) has no
# eventlet, so its patches cannot even be imported there.
LOOPS = {"eventlet", "gevent"}


def _importable() -> tuple[dict, dict]:
    """{name: module} of every patch module, and {name: loop} of those whose loop is absent."""
    found, absent = {}, {}
    for info in pkgutil.iter_modules(patches.__path__):
        if info.name.startswith("_"):
            continue
        name = f"{patches.__name__}.{info.name}"
        try:
            with warnings.catch_warnings():
                # As wsgi.py does: the test process imports eventlet, never runs on it.
                warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
                module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name not in LOOPS:
                raise
            absent[name] = error.name
            continue
        if module.PATCH.library in LOOPS and module.PATCH.release is None:
            absent[name] = module.PATCH.library  # it imports its loop only when installed
            continue
        found[name] = module
    return found, absent


MODULES, ABSENT = _importable()
# module name -> a function giving install()'s arguments, as the app passes them
ARGUMENTS = {
    "app.patches.session_saving": lambda: (
        sessions.answer_unavailable,
        has_identity,
        SessionNotSaved,
    ),
    "app.patches.session_reading": lambda: (_redis_sessions(), sessions.UnreadableSession),
    "app.patches.eventlet_accept": lambda: (ConnectionCounter(50, 64), 10, 128),
    # The loop this stack serves with (CI's gevent stack has no eventlet).
    "app.patches.engineio_tasks": lambda: (async_mode(os.environ),),
}


@functools.cache
def _redis_sessions():
    """One Redis session interface, changed each time; its client connects only when used."""
    import redis
    from flask_session.redis import RedisSessionInterface

    return RedisSessionInterface(None, client=redis.Redis())


_MISSING = object()


def _held(pairs) -> list:
    """What each owner itself holds under each name, as identities (_MISSING when inherited)."""
    return [vars(owner).get(name, _MISSING) for owner, name in pairs]


@pytest.fixture
def pristine(request):
    """The module named by the test's parameter, uninstalled; as it was found, afterwards."""
    module = MODULES[request.param]
    was_installed = module.PATCH.installed
    module.uninstall()
    yield module
    module.uninstall()
    if was_installed:
        module.install(*ARGUMENTS.get(module.__name__, tuple)())


def test_only_a_loop_that_is_not_installed_keeps_its_patches_out():
    for name, loop in ABSENT.items():
        assert importlib.util.find_spec(loop) is None, name


def test_there_are_patches_to_check():
    assert {"app.patches.flask_wtf_csrf", "app.patches.session_saving"} <= set(MODULES)
    assert "app.patches.socketio_deliveries" in MODULES


@pytest.mark.parametrize("pristine", sorted(MODULES), indirect=True)
def test_each_patch_names_the_release_it_was_read_against(pristine):
    patch = pristine.PATCH
    assert patch.module == pristine.__name__
    if not patch.release_matches():
        pytest.fail(
            f"re-audit {patch.module.replace('.', '/')}.py against {patch.library}"
            f" {patch.release} (it was read against {patch.read_against})",
            pytrace=False,
        )


@pytest.mark.parametrize("pristine", sorted(MODULES), indirect=True)
def test_uninstall_puts_every_original_back(pristine):
    install = lambda: pristine.install(*ARGUMENTS.get(pristine.__name__, tuple)())  # noqa: E731
    install()
    changed = pristine.PATCH.changed
    assert changed, "install() changed nothing"
    patched = _held(changed)
    pristine.uninstall()
    originals = _held(changed)
    assert not pristine.PATCH.installed
    assert all(now is not then for now, then in zip(originals, patched, strict=True))
    for owner, name in changed:  # the library's own again, nothing of this app's
        assert not getattr(getattr(owner, name), "__module__", "").startswith("app."), name

    install()  # and again: a second round trip ends where the first began
    assert all(now is not then for now, then in zip(_held(changed), originals, strict=True))
    pristine.uninstall()
    assert all(now is then for now, then in zip(_held(changed), originals, strict=True))


@pytest.mark.parametrize("pristine", ["app.patches.flask_wtf_csrf"], indirect=True)
def test_a_private_name_gone_stops_the_install_with_one_line_naming_the_module(
    pristine, monkeypatch
):
    monkeypatch.delattr(CSRFProtect, "_get_csrf_token")
    with pytest.raises(PatchOutdated) as refused:
        flask_wtf_csrf.install()
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("app.patches.flask_wtf_csrf: ")
    assert "_get_csrf_token" in message and "re-audit it against flask-wtf" in message
    assert not flask_wtf_csrf.PATCH.installed  # nothing was changed half-way
