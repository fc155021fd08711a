// Bringing people back: "(3) Room" in the tab's title while it is hidden, and, for those who
// switch them on, browser notifications of whispers and mentions that arrive meanwhile. Back
// in the tab, or back in the room later, a "New messages" line sits over the first one missed.
import { me } from "./page.js";
import { myHandle, spoken } from "./people.js";
import { mentions } from "./richtext.js";
import { myNames, rt } from "./room-strings.js";

const STORED = "gifchat-notify"; // the choice, kept in this browser
const READ = "gifchat-read:"; // + a room's id: the newest seq read there, kept in this browser

/** Whether a chat is a whisper to me (by handle; by color from a server without handles). */
function toMe(chat) {
  return chat.toHandle ? chat.toHandle === myHandle : Boolean(chat.to) && chat.to === me;
}

/** Whether a chat (or its list item) is mine. */
function mine(chat) {
  return chat.handle ? chat.handle === myHandle : chat.user === me;
}

/** The "New messages" line over the first message someone missed; one at a time. */
function markFirstUnread(list, li) {
  for (const old of list.querySelectorAll(":scope > li.first-unread")) {
    old.classList.remove("first-unread");
    old.querySelector(":scope > .unread-mark")?.remove();
  }
  if (!li) return;
  const mark = document.createElement("span");
  mark.className = "unread-mark";
  mark.textContent = rt("unreadLine");
  const day = li.querySelector(":scope > .day"); // the day first, then the line
  if (day) day.after(mark);
  else li.prepend(mark);
  li.classList.add("first-unread");
}

export function setupUnread({ toggle, showError, list, roomId, messages }) {
  const title = document.title;
  let unread = 0;
  let marked = false; // this absence has its line already

  const hidden = () => document.visibilityState === "hidden";
  const supported = "Notification" in window;
  let wanted = supported && localStorage.getItem(STORED) === "on";

  function showToggle() {
    const on = wanted && Notification.permission === "granted";
    toggle.setAttribute("aria-pressed", String(on));
    toggle.querySelector(".label").textContent = rt(on ? "notifyOn" : "notifyOff");
  }

  function setTitle() {
    document.title = unread ? `(${unread}) ${title}` : title;
  }

  /** The newest seq read in this room: what a reader at the bottom of a visible list saw. */
  function keepRead() {
    if (hidden() || !messages.following()) return;
    const seq = messages.newestSeq();
    if (seq > (Number(localStorage.getItem(READ + roomId)) || 0)) localStorage.setItem(READ + roomId, String(seq));
  }

  // Back in the room: the line goes over the first message from someone else since last time.
  const lastRead = Number(localStorage.getItem(READ + roomId)) || 0;
  if (lastRead) {
    const missed = [...list.querySelectorAll(":scope > li.message")].find(
      (li) => Number(li.dataset.seq) > lastRead && !li.classList.contains("mine"),
    );
    markFirstUnread(list, missed || null);
  }
  keepRead();

  document.addEventListener("visibilitychange", () => {
    if (hidden()) {
      marked = false; // the line of the last absence has been seen: the next one gets its own
      return;
    }
    unread = 0;
    setTitle();
    keepRead();
  });
  window.addEventListener("pagehide", keepRead);
  list.addEventListener("scroll", keepRead, { passive: true });

  if (!supported) toggle.hidden = true;
  else {
    showToggle();
    // Permission is asked for only here, on the visitor's own press.
    toggle.addEventListener("click", async () => {
      wanted = toggle.getAttribute("aria-pressed") !== "true";
      if (wanted && Notification.permission !== "granted") {
        const answer = await Notification.requestPermission();
        if (answer !== "granted") {
          wanted = false;
          showError(rt("notifyDenied"));
        }
      }
      localStorage.setItem(STORED, wanted ? "on" : "off");
      showToggle();
    });
  }

  function notify(chat) {
    if (!wanted || Notification.permission !== "granted") return;
    const whisper = toMe(chat);
    const body = chat.gif ? "GIF" : String(chat.chat || "");
    // The system reads a notification out: a name, or "Guest" and a color word, never a code.
    const who = spoken({ handle: chat.handle, color: chat.user, name: chat.name });
    const heading = rt(whisper ? "whisperFrom" : "mentionedBy", { who });
    try {
      const note = new Notification(heading, { body: body.slice(0, 200), tag: chat._id });
      note.addEventListener("click", () => {
        window.focus();
        note.close();
      });
    } catch {
      // Some mobile browsers only notify through a service worker: the title still counts.
    }
  }

  return {
    /** A message arrived live: counted while the tab is hidden, and maybe worth a notification. */
    arrived(chat) {
      if (!chat || chat.user === "system") return;
      if (!hidden()) return keepRead();
      if (mine(chat)) return;
      if (!marked) markFirstUnread(list, messages.item(chat._id));
      marked = true;
      unread += 1;
      setTitle();
      if ((toMe(chat) || mentions(chat.chat, myNames()))) notify(chat);
    },
  };
}
