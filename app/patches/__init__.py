"""Every change this app makes to a library's behaviour, each in a module of this package.

A module here holds one change to one library: a `PATCH = Patch(...)` naming the library and
the release its private names were read against, an `install(...)` that makes the change
through that Patch, and an `uninstall()` that undoes it. A Patch keeps each original it
replaces, checks that every name it touches is still there before it touches any (start-up
fails with one line naming the module to re-audit, never a silent fall-through), and puts
the originals back on `uninstall()`. `tests/test_patches.py` lists them all.
"""

import importlib
import pkgutil
from importlib.metadata import PackageNotFoundError, version

_MISSING = object()


class PatchOutdated(RuntimeError):
    """A library no longer has a name a patch relies on: the patch must be read again."""


class Patch:
    """One module's changes to one library, undoable."""

    def __init__(self, module: str, library: str, read_against: str):
        self.module = module  # the module holding the change, named in every complaint
        self.library = library  # its distribution name, as pip knows it
        self.read_against = read_against  # "major.minor" whose private names were read
        self._saved = []  # (owner, name, what owner itself held, or _MISSING), in order

    @property
    def release(self) -> str | None:
        try:
            return version(self.library)
        except PackageNotFoundError:
            return None

    def release_matches(self) -> bool:
        """Whether the installed release is the one this patch was read against."""
        release = self.release or ""
        return release == self.read_against or release.startswith(self.read_against + ".")

    @property
    def installed(self) -> bool:
        return bool(self._saved)

    @property
    def changed(self) -> list:
        """(owner, name) of everything replace() changed, in order: for tests and audits."""
        return [(owner, name) for owner, name, _held in self._saved]

    def outdated(self, why: str) -> PatchOutdated:
        return PatchOutdated(
            f"{self.module}: {why}; re-audit it against {self.library} {self.release}"
            f" (it was read against {self.read_against})"
        )

    def require(self, owner, *names: str) -> None:
        """Fail loudly unless owner has every one of names."""
        missing = [name for name in names if not hasattr(owner, name)]
        if missing:
            where = getattr(owner, "__qualname__", type(owner).__qualname__)
            raise self.outdated(f"{where} has no {', '.join(missing)}")

    def replace(self, owner, name: str, replacement) -> None:
        """Set owner.name to replacement, keeping what was there for uninstall()."""
        self.require(owner, name)
        self._saved.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, replacement)

    def wrap(self, owner, name: str, wrapper) -> None:
        """Replace owner.name with wrapper(original)."""
        self.require(owner, name)
        self.replace(owner, name, wrapper(getattr(owner, name)))

    def uninstall(self) -> None:
        """Put back everything replace() changed, last change first."""
        while self._saved:
            owner, name, held = self._saved.pop()
            if held is _MISSING:
                delattr(owner, name)  # it came from the class, which still has it
            else:
                setattr(owner, name, held)


def modules() -> list:
    """Every patch module of this package, imported."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")  # helpers shared by patches, not patches
    ]
