"""Redis going away: answered with 503, never 500, and recovered from without a restart."""

import pytest

from .required import require

require("requests", "requests")

from harness.cluster import RedisServer, start_cluster  # noqa: E402
from harness.live_server import Person  # noqa: E402

from .waiting import wait_for  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.redis]


def test_a_redis_outage_is_a_503_and_the_process_recovers_by_itself(tmp_path):
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    try:
        (server,) = start_cluster(tmp_path, redis.url, size=1)
        try:
            alice = Person(server)
            room_id = alice.create_room("through an outage")
            redis.stop()
            for path in ("/", f"/room/{room_id}"):
                page = alice.get(path, allow_redirects=False)
                assert page.status_code == 503, (path, page.status_code, page.text[:300])
                assert page.headers["Retry-After"]
            redis.start()  # the same port, empty: every session and presence is gone
            assert wait_for(lambda: alice.get("/").status_code == 200, seconds=10)
            bob = Person(server)
            assert bob.get(f"/room/{room_id}").status_code == 200
        finally:
            server.stop()
    finally:
        redis.stop()
