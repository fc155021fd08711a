// Deleting a message: its author, or the room's owner, presses "Delete" and then confirms;
// it goes from every page at once ("deleteChat" events).
import { send } from "./api.js";
import { rt } from "./room-strings.js";

const CONFIRM_MS = 5000; // an unconfirmed "Delete?" turns back on its own

/** The delete button of a message; shown (by CSS) to its author and the room's owner. */
export function deleteButton() {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "delete-message";
  b.textContent = rt("deleteMessage");
  return b;
}

function reset(b) {
  delete b.dataset.confirm;
  b.textContent = rt("deleteMessage");
}

/** The nearest message to `li` in one direction (notices have no tools to land on). */
function nextMessage(li, direction) {
  let item = li[direction];
  while (item && !item.matches("li.message")) item = item[direction];
  return item;
}

/** A keyboard user's focus goes on from a deleted message: its neighbour's tools, or the list. */
function focusNear(neighbour, list) {
  neighbour?.focus(); // the message first: its tools are shown (and focusable) once it has focus
  for (const button of neighbour ? neighbour.querySelectorAll(".tools button") : []) {
    button.focus();
    if (document.activeElement === button) return; // a tool this visitor is not shown takes none
  }
  list.focus();
}

export function setupDeleting({ list, url, socket, remove, onError }) {
  list.addEventListener("click", async (event) => {
    const b = event.target.closest("button.delete-message");
    const li = b && b.closest("li[data-id]");
    if (!li) return;
    if (!b.dataset.confirm) {
      b.dataset.confirm = "true";
      b.textContent = rt("confirmDeleteMessage");
      setTimeout(() => b.isConnected && reset(b), CONFIRM_MS);
      return;
    }
    const wasFocused = document.activeElement === b; // disabling it will take focus away
    // Found now: the room's "deleteChat" may take the message away before the answer comes.
    const neighbour = nextMessage(li, "nextElementSibling") || nextMessage(li, "previousElementSibling");
    b.disabled = true;
    try {
      await send("DELETE", url(li.dataset.id));
      remove(li.dataset.id);
      if (wasFocused) focusNear(neighbour?.isConnected ? neighbour : null, list);
    } catch (error) {
      onError(error.message);
      reset(b);
    } finally {
      b.disabled = false;
    }
    if (wasFocused && b.isConnected) b.focus(); // refused: still here, try again
  });
  list.addEventListener("keydown", (event) => {
    const b = event.target.closest?.("button.delete-message");
    if (b && event.key === "Escape" && b.dataset.confirm) reset(b);
  });
  socket.on("deleteChat", (data) => data && data._id && remove(String(data._id)));
}
