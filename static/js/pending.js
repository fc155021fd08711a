// Messages on their way (outbox.js) in the message list: drawn after every stored one, as
// their seq is not known yet, until the server's copy takes their place.
import { regroup } from "./marks.js";

const PENDING_SEQ = "Infinity"; // messages.js's place() puts every stored message before it

/** Whether a list item is a message still on its way. */
export function isPending(li) {
  return li.classList.contains("pending");
}

/** The message list's methods for messages on their way (it passes its own parts in). */
export function pendingMessages({ list, resized, add, scrollToBottom }) {
  function dropPending(li) {
    const next = li.nextElementSibling;
    li.remove();
    resized.unobserve(li);
    regroup(next);
  }
  return {
    /** A message typed just now: at the end of the list, in view. */
    addPending(li) {
      li.dataset.seq = PENDING_SEQ;
      list.append(li);
      resized.observe(li);
      regroup(li);
      scrollToBottom();
    },
    /** Its stored copy (the 201's Chat) drawn in its place by seq, unless shown already. */
    settlePending(li, chat) {
      add([chat], true);
      dropPending(li);
    },
    dropPending,
  };
}
