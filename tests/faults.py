"""Real storage faults, made and cleared: another process's lock, a read-only file, a full disk."""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

# Takes the write lock of the database named by argv[1] and keeps it until stdin closes.
HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


class Fault:
    """Something wrong with the storage, from start() until clear()."""

    def start(self, store) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    @contextmanager
    def active(self, store):
        self.start(store)
        try:
            yield
        finally:
            self.clear()


class Locked(Fault):
    """Another process (not a thread of ours) holds an exclusive lock on the database."""

    def __init__(self, database: Path):
        self.database = database
        self.holder = None

    def start(self, store):
        self.holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(self.database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # Bounded: the holder prints, or gives up after sqlite3's own 5 s wait and exits.
        assert self.holder.stdout.readline() == "locked\n"

    def clear(self):
        if self.holder is not None:
            self.holder.stdin.close()
            try:
                self.holder.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder.stdout.close()
            self.holder = None


class ReadOnly(Fault):
    """The database file is read-only when the process next opens it."""

    def __init__(self, database: Path):
        self.database = database
        self.immutable = False

    def start(self, store):
        self.database.chmod(0o444)
        if os.geteuid() == 0:  # root writes to read-only files: make it immutable as well
            chattr = shutil.which("chattr")
            result = chattr and subprocess.run([chattr, "+i", self.database], capture_output=True)
            if not result or result.returncode != 0:
                self.database.chmod(0o644)
                pytest.skip("running as root, and chattr +i is not available here")
            self.immutable = True
        store.close()  # the process opens the file afresh, as a new worker would

    def clear(self):
        if self.immutable:
            subprocess.run(["chattr", "-i", self.database], check=True)
            self.immutable = False
        self.database.chmod(0o644)


class DiskFull(Fault):
    """The disk holding the database and the GIFs has no space left."""

    def __init__(self, disk: Path):
        self.filler = disk / "filler"

    def start(self, store):
        with suppress(OSError), open(self.filler, "wb", buffering=0) as file:
            for _ in range(1_000_000):  # bounded: the disk is a few MiB, ENOSPC comes first
                file.write(b"\0" * 4096)

    def clear(self):
        self.filler.unlink()


@contextmanager
def small_disk(folder: Path, size: str = "4m"):
    """A tmpfs of the given size at folder, unmounted afterwards; skips if none can be made."""
    if os.geteuid() != 0:
        pytest.skip("a full disk needs a small tmpfs, and mounting one needs root")
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", folder], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", folder], check=True)
