"""Against the Node original: fan-out and idle sockets, interleaved, with ratios ours / Node.

Runs a temporary copy of `shared/bench/run.sh` (found beside the project, or beside a parent
folder of it) against its Node peer and `python wsgi.py` on each event loop (ASYNC_MODE
eventlet and gevent), and, in full runs, gunicorn on each; each run gets a fresh server with a
fresh instance folder. The idle scenario also runs gevent without app.patches.engineio_tasks,
to show what that patch saves. Skipped, with a message, when `node` or the shared folder is
missing. The Node peer's code is only run from the copy, never kept here.
"""

import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.live_server import free_port

from .report import table

ROOT = Path(__file__).resolve().parent.parent
# (scenario in run.sh, extra load generator arguments, label)
RUNS = (
    ("fanout-1x50", "", "fanout-1x50, deflate offered"),
    ("fanout-1x50", "--no-deflate", "fanout-1x50, no deflate"),
    # Past idle.js's default 120 s a slow sign-up phase would leave no figures at all.
    ("idle-2000", "--timeout 400", "idle-2000, deflate offered"),
    ("idle-2000", "--no-deflate --timeout 400", "idle-2000, no deflate"),
)
QUICK_RUNS = RUNS
REPS, QUICK_REPS = 3, 1
# Each run.sh call: scenarios x servers x reps runs, each well under two minutes.
TIMEOUT = 1800


def find_shared_bench() -> Path | None:
    """shared/bench beside the project or beside one of its parents (a worktree's main checkout)."""
    for folder in (ROOT, *ROOT.parents):
        candidate = folder.parent / "shared" / "bench"
        if (candidate / "run.sh").is_file() and (candidate / "peer-node").is_dir():
            return candidate
    return None


# `python wsgi.py` under gevent with engine.io's own ping and writer greenlets: the patch's
# install() made a no-op after gevent's patching and before wsgi.py runs.
UNPATCHED = (
    "from gevent import monkey; monkey.patch_all()\n"
    "from app.patches import engineio_tasks\n"
    "engineio_tasks.install = lambda loop: False\n"
    "import runpy; runpy.run_path('wsgi.py', run_name='__main__')"
)


def servers(work: Path, quick: bool, scenario: str) -> list[str]:
    """run.sh's --server arguments: the Node peer, then this project on each event loop; each
    run its own instance."""
    project = shlex.quote(str(ROOT))
    fresh = (
        f"cd {project} && export GIFCHAT_INSTANCE_PATH=$(mktemp -d -p {shlex.quote(str(work))})"
        " GIFCHAT_SECRET_KEY='\"bench\"'"
        # Its rooms wait empty until every visitor has a session: measure costs, not the grace.
        " GIFCHAT_ROOM_EMPTY_GRACE_SECONDS=3600"
        # Thousands of visitors from one address, posting back to back: a load test, which
        # the per-address cap and the rate limits are there to refuse.
        " GIFCHAT_MAX_CONNECTIONS_PER_ADDRESS=100000 GIFCHAT_RATELIMIT_ENABLED=false"
    )
    chosen = ["peer=exec node peer-node/app.js"]
    for mode in ("eventlet", "gevent"):
        chosen.append(
            f"py-{mode}={fresh} GIFCHAT_ASYNC_MODE={mode} GIFCHAT_PORT=$PORT"
            " && exec .venv/bin/python wsgi.py"
        )
    if scenario.startswith("idle"):
        chosen.append(
            f"py-gevent-unpatched={fresh} GIFCHAT_ASYNC_MODE=gevent GIFCHAT_PORT=$PORT"
            f" && exec .venv/bin/python -c {shlex.quote(UNPATCHED)}"
        )
    if not quick:
        # The load generator samples the pid it is given: gunicorn's master, not its worker, so
        # only deliveries/s and latency are the worker's (CPU and memory columns stay empty).
        for mode in ("eventlet", "gevent"):
            chosen.append(
                f"gunicorn-{mode}={fresh} GIFCHAT_ASYNC_MODE={mode} GIFCHAT_BIND=127.0.0.1:$PORT"
                " && exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app"
            )
    return chosen


def run(quick: bool = False) -> None:
    source = find_shared_bench()
    if shutil.which("node") is None or source is None:
        missing = "node is not installed" if source else "no shared/bench beside the project"
        print(f"skipped: {missing}")
        return
    work = Path(tempfile.mkdtemp(prefix="gifchat-original-"))
    shutil.copytree(source, work / "bench", ignore=shutil.ignore_patterns("results", "figures"))
    reps = QUICK_REPS if quick else REPS
    print(f"run.sh from {source} (copied to {work}), {reps} rep(s), servers interleaved")
    for scenario, extra, label in QUICK_RUNS if quick else RUNS:
        chosen = servers(work, quick, scenario)
        out = work / "out" / label.replace(", ", "-").replace(" ", "-")
        command = ["./run.sh", "--reps", str(reps), "--only", scenario, "--out", str(out)]
        command += ["--port", str(free_port())]
        for server in chosen:
            command += ["--server", server]
        if extra:
            command += ["--extra", extra]
        print(f"\n{label}: {shlex.join(command)}", flush=True)
        done = subprocess.run(
            command, cwd=work / "bench", capture_output=True, text=True, timeout=TIMEOUT
        )
        if done.returncode:
            print(done.stderr[-2000:], file=sys.stderr)
            raise RuntimeError(f"run.sh exited {done.returncode}")
        report(out, scenario, [server.split("=", 1)[0] for server in chosen])
    shutil.rmtree(work / "bench", ignore_errors=True)
    print(f"raw results: {work / 'out'}")


def _median(runs: list[dict], pick) -> float | None:
    values = []
    for result in runs:
        try:
            value = pick(result)
        except (KeyError, TypeError, ZeroDivisionError):
            continue
        if isinstance(value, int | float):
            values.append(value)
    return statistics.median(values) if values else None


FANOUT = (  # (column, how to read one run)
    ("deliveries/s", lambda r: r["throughput"]["deliveriesPerSec"]),
    ("server µs/delivery", lambda r: r["server"]["cpuUsPerDelivery"]),
    ("p99 ms", lambda r: r["latencyMs"]["p99"]),
    ("p50 ms", lambda r: r["latencyMs"]["p50"]),
    ("lost", lambda r: r["deliveries"]["lost"]),
    ("deflate sockets", lambda r: r["setup"]["deflate"]),
    ("loadgen CPU %", lambda r: r["loadgenCpu"]["window"]["pctOfCore"]),
)
IDLE = (
    ("KB/connection", lambda r: r["server"]["kbPerConnection"]),
    ("sign-ups/s", lambda r: r["requested"] / r["seconds"]["sessions"]),
    ("held", lambda r: r["heldConnected"]),
    ("deflate sockets", lambda r: r["deflate"]),
    ("errors", lambda r: r["admissionErrors"] + r["connectErrors"] + r["joinErrors"]),
)
RATIOS = ("deliveries/s", "server µs/delivery", "p99 ms", "KB/connection", "sign-ups/s")
MASTER_ONLY = ("server µs/delivery", "KB/connection")  # what gunicorn's master cannot tell


def report(out: Path, scenario: str, labels: list[str]) -> None:
    """Medians per server, then each server's ratio to the Node peer's median."""
    columns = FANOUT if scenario.startswith("fanout") else IDLE
    rows, medians = [], {}
    for label in labels:
        path = out / f"{label}.{scenario}.jsonl"
        lines = path.read_text().splitlines() if path.exists() else []
        runs = [json.loads(line) for line in lines if line.strip()]
        values = {name: _median(runs, pick) for name, pick in columns}
        if label.startswith("gunicorn"):
            values.update(dict.fromkeys(MASTER_ONLY))
        medians[label] = values
        rows.append([f"{label} ({len(runs)} runs)", *(_fmt(values[name]) for name, _ in columns)])
    table(["server (median)", *(name for name, _ in columns)], rows)
    peer = medians.get("peer", {})
    shown = [name for name, _ in columns if name in RATIOS]
    ratio_rows = []
    for label in labels[1:]:
        cells = []
        for name in shown:
            ours, theirs = medians[label].get(name), peer.get(name)
            cells.append(f"{ours / theirs:.2f}x" if ours is not None and theirs else "-")
        ratio_rows.append([f"{label} / peer", *cells])
    table(["ratio (ours / Node)", *shown], ratio_rows)


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.1f}"


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
