"""Benchmarks that print figures, each against a baseline measured in the same run.

Run them with `make bench` (all) or `python -m bench NAME` (one); `--quick` shrinks sizes.
They never assert timings: they print tables to read (see bench/README.md).
"""

BENCHMARKS = (
    "history",
    "search",
    "post",
    "fanout",
    "sessions",
    "gifs",
    "cluster",
    "cluster_loadgen",
    "redis_restart",
    "original",
    "downloads",
    "slow_clients",
)
