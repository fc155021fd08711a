// Editing one of my messages: "Edit" under it, or ↑ in an empty box, puts its words in the
// box; Enter saves them (PATCH), Esc gives the box back as it was. Others see the edit live.
// While the server has the edit the bar says "Saving…"; a refused edit stays in the box.
import { send } from "./api.js";
import { shownChat } from "./render.js";
import { rt } from "./room-strings.js";

export function createEditing({ list, input, bar, url, messages, composer }) {
  const text = bar.querySelector(".mode-text");
  let editing = null; // the list item being edited
  let draft = ""; // what the box held before, given back after

  function start(li) {
    const chat = li && shownChat(li);
    if (!chat || chat.gif || typeof chat.chat !== "string") return;
    if (!editing) draft = input.value;
    editing = li;
    li.classList.add("being-edited");
    text.textContent = rt("editingMessage");
    bar.hidden = false;
    input.closest("form").classList.add("editing");
    composer().fill(chat.chat);
  }

  function stop(restore) {
    if (!editing) return;
    editing.classList.remove("being-edited");
    editing = null;
    bar.hidden = true;
    input.closest("form").classList.remove("editing");
    composer().editStopped();
    if (restore) composer().fill(draft);
    draft = "";
    input.focus();
  }

  list.addEventListener("click", (event) => {
    const b = event.target.closest("button.edit-message");
    if (b) start(b.closest("li.message"));
  });
  bar.querySelector(".mode-close").addEventListener("click", () => stop(true));
  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.defaultPrevented) return;
    if (event.key === "Escape" && editing) {
      event.preventDefault();
      stop(true);
    } else if (event.key === "ArrowUp" && !editing && !input.value) {
      const last = messages.myLast();
      if (!last) return;
      event.preventDefault();
      start(last);
    }
  });

  return {
    active: () => editing !== null,
    /** The bar says the edit is on its way while the server has it (the box waits meanwhile). */
    saving(on) {
      if (editing) text.textContent = rt(on ? "saving" : "editingMessage");
      bar.setAttribute("aria-busy", String(on));
    },
    /** A message went away: an edit of it has nothing left to change. */
    removed(id) {
      if (editing && editing.dataset.id === id) stop(true);
    },
    /** Save the box's text as the message's new words; throws with the server's reason. */
    async save(words) {
      const li = editing;
      const chat = shownChat(li);
      if (words === chat.chat) return stop(true); // nothing changed: nothing to send
      const edited = await send("PATCH", url(li.dataset.id), { chat: words });
      messages.edit(edited);
      stop(true); // the box holds what it held before the edit
    },
  };
}
