"""Test ids stay the same from run to run, so a failure can be named, rerun and compared.

pytest names a parametrized case by its value; a value made at collection time (the time,
a random token, a fresh id) gives the case a new name in every run unless `ids=` names it.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHANGING = {"time", "random", "secrets", "uuid", "os.urandom", "ObjectId", "datetime"}


def _called_name(call: ast.Call) -> str:
    return ast.unparse(call.func)


def _changes_every_run(node: ast.AST) -> bool:
    """Whether an expression calls something whose value differs from run to run."""
    for call in (each for each in ast.walk(node) if isinstance(each, ast.Call)):
        name = _called_name(call)
        if any(name == root or name.startswith(root + ".") for root in CHANGING):
            return True
    return False


def unnamed_changing_cases(source: str) -> list[int]:
    """Lines of parametrize calls whose values change from run to run and that give no ids."""
    lines = []
    for call in (each for each in ast.walk(ast.parse(source)) if isinstance(each, ast.Call)):
        if not _called_name(call).endswith("parametrize") or len(call.args) < 2:
            continue
        named = any(keyword.arg == "ids" for keyword in call.keywords)
        values = call.args[1]
        cases = values.elts if isinstance(values, ast.List | ast.Tuple) else [values]
        for case in cases:
            # pytest.param(..., id=...) names its own case.
            if isinstance(case, ast.Call) and any(k.arg == "id" for k in case.keywords):
                continue
            if not named and _changes_every_run(case):
                lines.append(call.lineno)
                break
    return lines


def test_no_test_is_named_by_a_value_that_changes_from_run_to_run():
    found = {
        str(path.relative_to(TESTS)): lines
        for path in sorted(TESTS.rglob("test_*.py"))
        if (lines := unnamed_changing_cases(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"parametrize these with ids=: {found}"


def test_the_check_sees_a_changing_value_and_accepts_named_ones():
    assert unnamed_changing_cases(
        "@pytest.mark.parametrize('t', [time.time(), 1])\ndef test(t): pass"
    ) == [1]
    assert (
        unnamed_changing_cases(
            "@pytest.mark.parametrize('t', [time.time()], ids=['now'])\ndef test(t): pass"
        )
        == []
    )
    assert (
        unnamed_changing_cases(
            "@pytest.mark.parametrize('t', [pytest.param(secrets.token_hex(), id='token')])\n"
            "def test(t): pass"
        )
        == []
    )
