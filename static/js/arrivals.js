// Telling a reader what came: the "New messages" pill counts what arrived while they read
// further up, and a polite live region says each new chat as "name: text", nothing more
// (the list itself is not live: it would read every message's tools and reactions too).
import { notice } from "./page.js";
import { myHandle, spoken } from "./people.js";
import { rt } from "./room-strings.js";

const KEPT = 5; // lines the live region keeps: enough for a burst, not a transcript

/** What a screen reader hears of a new chat: "name: text", or a notice's words. */
function heardLine(chat) {
  if (!chat) return "";
  if (chat.user === "system") {
    const who = chat.kind && chat.who && spoken({ handle: chat.handle, name: chat.name, color: chat.who });
    return (who && notice(chat.kind, who)) || "";
  }
  const words = chat.gif ? rt("gifMarker") : String(chat.chat ?? "");
  return spoken({ handle: chat.handle, color: chat.user, name: chat.name }) + ": " + words;
}

export function createArrivals({ pill, announcer }) {
  const label = pill.querySelector(".pill-label");
  let waiting = 0; // arrived since the reader last was at the bottom
  let speaking = false; // history drawn at first is not news

  function showPill() {
    label.textContent = waiting === 1 ? rt("newMessageOne") : rt("newMessagesMany", { count: String(waiting) });
    pill.hidden = waiting === 0;
  }

  return {
    /** From now on, new chats are said. */
    speak() {
      speaking = true;
    },
    /** Chats the reader has not seen yet, below where they read. */
    waiting(count) {
      waiting += count;
      showPill();
    },
    /** The reader is at the bottom: nothing waits. */
    seen() {
      waiting = 0;
      showPill();
    },
    /** Say these chats (someone else's, live) in the live region. */
    say(chats) {
      if (!speaking || !announcer) return;
      for (const chat of chats) {
        if (chat.handle && chat.handle === myHandle) continue; // my own coming in, say
        const line = document.createElement("p");
        line.textContent = heardLine(chat);
        if (line.textContent) announcer.append(line);
      }
      while (announcer.childElementCount > KEPT) announcer.firstElementChild.remove();
    },
  };
}
