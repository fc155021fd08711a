// Replying: "Reply" under a message puts a quote bar over the box; the next message, GIF or
// GIF sent again answers it. Esc or the bar's close drops it. A reply to a whisper whispers
// to the same person (the server insists), so the box starts whispering to them.
import { shownChat } from "./render.js";
import { label, spoken, twoVoices } from "./people.js";
import { rt } from "./room-strings.js";

export function createReplying({ list, input, bar, whisper }) {
  const text = bar.querySelector(".mode-text");
  let replyTo = null; // the id of the message answered
  let quote = null; // how it is quoted: {_id, handle, name, excerpt}, as the server will store it

  function start(li) {
    const chat = li && shownChat(li);
    if (!chat) return;
    replyTo = chat._id;
    quote = { _id: chat._id, handle: chat.handle || null, name: chat.name || null, excerpt: chat.gif ? "GIF" : String(chat.chat ?? "").slice(0, 100) };
    const person = { handle: chat.handle, color: chat.user, name: chat.name };
    const words = chat.gif ? rt("gifMarker") : String(chat.chat ?? "").slice(0, 100);
    const line = (who) => rt("replyingTo", { who }) + ": " + words;
    text.replaceChildren(...twoVoices(line(label(person)), line(spoken(person))));
    bar.hidden = false;
    if (li.dataset.whisperWith) whisper.choose(li.dataset.whisperWith);
    input.focus();
  }

  function drop() {
    replyTo = null;
    quote = null;
    bar.hidden = true;
    text.textContent = "";
  }

  list.addEventListener("click", (event) => {
    const b = event.target.closest("button.reply-message");
    if (b) start(b.closest("li.message"));
  });
  bar.querySelector(".mode-close").addEventListener("click", () => {
    drop();
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && replyTo && !event.defaultPrevented && !event.isComposing) {
      event.preventDefault(); // one Esc drops the quote; the next one ends a whisper
      drop();
    }
  });

  return {
    /** What a post carries: {replyTo} while a reply is being written, else nothing. */
    extra: () => (replyTo ? { replyTo } : {}),
    /** The quote a message being sent shows until the server's copy has its own. */
    quoted: () => (quote ? { replyTo: quote } : {}),
    /** The message went: the reply is done. */
    sent: drop,
    /** A message went away: a reply to it has nothing to answer. */
    removed(id) {
      if (id === replyTo) drop();
    },
  };
}
