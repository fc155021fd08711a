"""`python -m bench [--quick] [name ...]`: run the benchmarks, all of them by default."""

import argparse
import importlib
import sys
import time
import traceback

from . import BENCHMARKS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks that print figures against a baseline measured in the same run.",
    )
    parser.add_argument("names", nargs="*", metavar="name", help=f"one of {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")

    failed = []
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"{__package__}.{name}")
        summary = (module.__doc__ or "").strip().splitlines()[0]
        print(f"\n=== {name}{' (quick)' if args.quick else ''}: {summary}", flush=True)
        started = time.perf_counter()
        try:
            module.run(quick=args.quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"--- {name}: {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
