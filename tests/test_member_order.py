"""The participants list has one order for everyone: the owner first, then the longest present."""


def colors(members):
    return [member["color"] for member in members]


def test_the_owner_is_listed_first_even_when_back_after_the_others(visitor):
    # After a restart everyone rejoins in whatever order their pages reconnect.
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room()
    bob_tab = bob.join(room_id)
    carol.join(room_id)
    bob_tab.get_received("/chat")
    alice.join(room_id)
    ack = alice.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert colors(ack["members"]) == [alice.color, bob.color, carol.color]
    assert [m["owner"] for m in ack["members"]] == [True, False, False]
    # Who was already there hears the same order with the owner's notice.
    joined = [e for e in bob_tab.get_received("/chat") if e["name"] == "join"]
    assert colors(joined[-1]["args"][0]["members"]) == [alice.color, bob.color, carol.color]


def test_a_newcomer_is_listed_after_everyone_already_there(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    bob_tab = bob.join(room_id)
    carol.join(room_id)
    joined = [e for e in bob_tab.get_received("/chat") if e["name"] == "join"]
    assert colors(joined[-1]["args"][0]["members"]) == [alice.color, bob.color, carol.color]
