"""`python deploy/cluster.py run|start|stop|status`: one host, N processes, one Redis, nginx.

Starts redis-server, CLUSTER_SIZE gunicorn processes (default 2) on loopback ports from
CLUSTER_BASE_PORT, sharing the project's instance/ and uploads/, and nginx on
127.0.0.1:CLUSTER_PORT (default 8005) in front of them. nginx runs as you, with its own prefix:
everything it and Redis write goes to CLUSTER_DIR (default instance/cluster/). `run` stays
in the foreground and stops everything on Ctrl-C; `start` returns and `stop` ends it.
"""

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from string import Template

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT = 30  # seconds for any one part to answer
STOP_TIMEOUT = 15
WEBSOCKETS = 10_000  # what nginx's one worker is sized for: two connections each
PER_ADDRESS = 50  # connections per client address, as the app's MAX_CONNECTIONS_PER_ADDRESS


def settings(env=os.environ) -> dict:
    size = int(env.get("CLUSTER_SIZE", "2"))
    base = int(env.get("CLUSTER_BASE_PORT", "8011"))
    return {
        "size": size,
        "port": int(env.get("CLUSTER_PORT", "8005")),
        "ports": [base + number for number in range(size)],
        "redis_port": int(env.get("CLUSTER_REDIS_PORT", "6390")),
        "per_address": int(env.get("CLUSTER_CONNECTIONS_PER_ADDRESS", str(PER_ADDRESS))),
        "run_dir": Path(env.get("CLUSTER_DIR", PROJECT_ROOT / "instance" / "cluster")).resolve(),
    }


def binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        sys.exit(f"cluster: {name} is not installed (Debian: apt-get install {name})")
    return found


def open_files() -> tuple[int, int]:
    """nginx's (worker_rlimit_nofile, worker_connections): for WEBSOCKETS, within the hard limit.

    nginx run as a user cannot raise its limit past the hard one: asked to, it logs an alert.
    """
    wanted = 2 * WEBSOCKETS + 4096
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    return files, min(2 * WEBSOCKETS + 480, files - 1024)


def render_nginx(run_dir: Path, listen: str, ports: list[int], per_address=None) -> Path:
    """Write run_dir/nginx.conf from the template, for these upstream ports."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    files, connections = open_files()
    text = Template(TEMPLATE.read_text()).substitute(
        run_dir=run_dir,
        listen=listen,
        servers=servers,
        open_files=files,
        worker_connections=connections,
        per_address=per_address or PER_ADDRESS,
    )
    path = run_dir / "nginx.conf"
    path.write_text(text)
    return path


def wait_for_port(port: int, what: str, process=None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {START_TIMEOUT}s")


def spawn(command, run_dir: Path, name: str, env=None) -> subprocess.Popen:
    """Start command in its own process group, its output in run_dir/<name>.log."""
    with open(run_dir / f"{name}.log", "ab") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (run_dir / f"{name}.pid").write_text(str(process.pid))
    return process


def start(config: dict) -> None:
    run_dir = config["run_dir"]
    run_dir.mkdir(parents=True, exist_ok=True)
    if list(run_dir.glob("*.pid")):
        sys.exit(f"cluster: already running (or not stopped cleanly): run stop first ({run_dir})")
    redis_port = config["redis_port"]
    redis = spawn(
        [binary("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
         "--dir", str(run_dir), "--save", "", "--appendonly", "no"],
        run_dir, "redis",
    )  # fmt: skip
    wait_for_port(redis_port, "redis-server", redis)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTER_")}
    env.update(GIFCHAT_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", GIFCHAT_PROXY_COUNT="1")
    for number, port in enumerate(config["ports"]):
        env["GIFCHAT_BIND"] = f"127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
        process = spawn(command, run_dir, f"process{number}", env=dict(env))
        wait_for_port(port, f"process {number}", process)
    listen = f"127.0.0.1:{config['port']}"
    conf = render_nginx(run_dir, listen, config["ports"], config["per_address"])
    nginx = [binary("nginx"), "-p", str(run_dir), "-c", str(conf)]
    # -e: even the errors of reading the configuration go to the run folder, not /var/log.
    nginx += ["-e", str(run_dir / "nginx-error.log")]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    subprocess.run(nginx, check=True)  # it daemonizes and writes run_dir/nginx.pid itself
    wait_for_port(config["port"], "nginx")
    ports = ", ".join(map(str, config["ports"]))
    print(f"cluster: http://127.0.0.1:{config['port']} -> {config['size']} processes on {ports},")
    print(f"cluster: redis on {redis_port}; logs in {run_dir}")


def stop(config: dict) -> None:
    """End what start began, by the pids it recorded: nginx first, Redis last."""
    run_dir = config["run_dir"]
    names = ["nginx"] + sorted(p.stem for p in run_dir.glob("process*.pid")) + ["redis"]
    for name in names:
        pidfile = run_dir / f"{name}.pid"
        if not pidfile.exists():
            continue
        pid = int(pidfile.read_text().strip())
        # nginx's pid is its master's; the others lead their own process groups.
        _end(pid, group=name != "nginx")
        pidfile.unlink(missing_ok=True)
    print("cluster: stopped")


def _end(pid: int, group: bool) -> None:
    send = (lambda sig: os.killpg(pid, sig)) if group else (lambda sig: os.kill(pid, sig))
    try:
        send(signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # reap it if it is our child (`run`); otherwise it is someone else's to reap
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.1)
    try:
        send(signal.SIGKILL)
    except ProcessLookupError:
        pass


def status(config: dict) -> None:
    for pidfile in sorted(config["run_dir"].glob("*.pid")):
        pid = int(pidfile.read_text().strip())
        try:
            os.kill(pid, 0)
            state = "running"
        except ProcessLookupError:
            state = "gone"
        print(f"{pidfile.stem}: pid {pid} {state}")


def main(argv) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    config = settings()
    if command in ("start", "run"):
        # Blocked, to be awaited below: Ctrl-C must not cut the start-up or the stop short.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    if command == "start":
        try:
            start(config)
        except Exception as error:  # whatever stopped the start, stop what did start
            print(f"cluster: {error}", file=sys.stderr)
            stop(config)
            return 1
    elif command == "stop":
        stop(config)
    elif command == "status":
        status(config)
    elif command == "run":
        try:
            start(config)
            print("cluster: Ctrl-C stops it", flush=True)
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
        except Exception as error:  # whatever stopped the start, stop what did start
            print(f"cluster: {error}", file=sys.stderr)
            return 1
        finally:
            stop(config)
    else:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
