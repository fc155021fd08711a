"""The real server on a real MongoDB: database calls must not stall other sockets.

Runs only when GIFCHAT_TEST_MONGO_URI names a MongoDB to test against.
"""

import threading

import pytest

from app.store.base import new_id
from harness.live_server import LiveServer, People, running

from .store_backends import real_mongo_uri

pytestmark = [pytest.mark.server, pytest.mark.mongodb]


class MongoLiveServer(LiveServer):
    """The live server with its data in a throwaway database of a real MongoDB."""

    def __init__(self, folder, grace_seconds, uri, database):
        super().__init__(folder, grace_seconds)
        self.uri, self.database = uri, database

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_MONGO_URI"] = self.uri
        env["GIFCHAT_MONGO_DATABASE"] = self.database
        return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pymongo import MongoClient

    uri = real_mongo_uri()
    database = f"gifchat_test_{new_id()}"
    folder = tmp_path_factory.mktemp("live-mongo")
    try:
        with running(folder, 1, MongoLiveServer, uri=uri, database=database) as live:
            yield live
    finally:
        with MongoClient(uri) as client:
            client.drop_database(database)


def test_database_work_does_not_stall_other_sockets(server):
    """While many posts hit MongoDB at once, another visitor still joins and hears them."""
    people = People(server)
    try:
        writer, reader = people(), people()
        room_id = writer.create_room("busy")
        listening = reader.join(room_id, "websocket")
        answers = []

        def burst():
            for n in range(20):
                answers.append(writer.post_chat(room_id, f"burst {n}").status_code)

        writers = [threading.Thread(target=burst) for _ in range(5)]
        for thread in writers:
            thread.start()
        # A third visitor joins in the middle of the burst: the join's own database calls
        # and the ack must get through while the others are in flight.
        people().join(room_id, "websocket")  # its ack is awaited for at most WAIT seconds
        for thread in writers:
            thread.join(timeout=60)
        assert answers == [201] * 100
        for n in range(20):
            listening.wait_for("chat", lambda data, n=n: data.get("chat") == f"burst {n}")
    finally:
        people.close()
