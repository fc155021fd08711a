"""One order for a room's chats on MongoDB: a counter document per room, and numbering old chats."""

from itertools import groupby, islice

from pymongo import ASCENDING, ReturnDocument

BATCH = 1000  # old chats numbered per counter step and per bulk write


def take_seqs(counters, room_id: str, count: int = 1) -> int:
    """Reserve the room's next `count` seqs in one atomic step; the last of them.

    `$inc` on one document is atomic whatever the writers, and the counter only grows, so a
    seq is never given twice in a room, even after its newest chat is deleted.
    """
    found = counters.find_one_and_update(
        {"_id": room_id},
        {"$inc": {"seq": count}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    return found["seq"]


def number_chats(chats, counters) -> int:
    """Give chats stored before there was a seq one each: per room, in _id order, after any
    the room has. Only chats without one are touched, so a second run changes nothing; how
    many were numbered.
    """
    unnumbered = chats.find({"seq": {"$exists": False}}, {"room": 1})
    unnumbered = unnumbered.sort([("room", ASCENDING), ("_id", ASCENDING)])
    numbered = 0
    for room_id, docs in groupby(unnumbered, key=lambda doc: doc["room"]):
        while batch := [doc["_id"] for doc in islice(docs, BATCH)]:
            first = take_seqs(counters, room_id, len(batch)) - len(batch) + 1
            # One update a chat (mongomock has no bulk_write for pymongo 4.9's UpdateOne); it
            # runs once, on the first start after the upgrade. The filter keeps a chat that
            # another process numbered meanwhile as it is.
            for n, oid in enumerate(batch):
                unnumbered_one = {"_id": oid, "seq": {"$exists": False}}
                numbered += chats.update_one(
                    unnumbered_one, {"$set": {"seq": first + n}}
                ).modified_count
    return numbered
