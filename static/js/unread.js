// Bringing people back: "(3) Room" in the tab's title while it is hidden, and, for those who
// switch them on, browser notifications of whispers and mentions that arrive meanwhile.
import { me } from "./page.js";
import { myHandle, spoken } from "./people.js";
import { mentions } from "./richtext.js";
import { myNames, rt } from "./room-strings.js";

const STORED = "gifchat-notify"; // the choice, kept in this browser

/** Whether a chat is a whisper to me (by handle; by color from a server without handles). */
function toMe(chat) {
  return chat.toHandle ? chat.toHandle === myHandle : Boolean(chat.to) && chat.to === me;
}

export function setupUnread({ toggle, showError }) {
  const title = document.title;
  let unread = 0;

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

  document.addEventListener("visibilitychange", () => {
    if (hidden()) return;
    unread = 0;
    setTitle();
  });

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
      if (!chat || chat.user === "system" || !hidden()) return;
      if (chat.handle ? chat.handle === myHandle : chat.user === me) return; // my own
      unread += 1;
      setTitle();
      if ((toMe(chat) || mentions(chat.chat, myNames()))) notify(chat);
    },
  };
}
