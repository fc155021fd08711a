"""`python .ci/locked.py LOCK`: fail when this environment holds a release LOCK does not name.

`make install` installs within the lock (pip's -c), so a dependency that setup.cfg gained
after the lock was made would install at whatever release is newest: CI says so instead.
"""

import re
import sys
from importlib.metadata import distributions

OWN = {"gifchat", "pip", "setuptools", "wheel"}  # the project, and what builds it


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock: str) -> int:
    locked = {}
    with open(lock) as lines:
        for line in lines:
            if "==" in line and not line.lstrip().startswith("#"):
                name, _, release = line.strip().partition("==")
                locked[canonical(name)] = release
    strays = []
    for dist in distributions():
        name = canonical(dist.metadata["Name"])
        if name not in OWN and locked.get(name) != dist.version:
            strays.append(f"{name} {dist.version} (locked: {locked.get(name, 'absent')})")
    if strays:
        print(f"{lock} does not hold {', '.join(sorted(strays))}: run `make lock`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
