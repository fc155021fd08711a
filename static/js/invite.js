// A new room is not a blank box: its invite link, one press to copy, and a line inviting
// people while nobody has said anything yet.
import { t } from "./page.js";

const SHOWN_MS = 4000; // how long "Copied" stays

const box = document.getElementById("invite");
const button = document.getElementById("invite-copy");
const status = document.getElementById("invite-status");
const fallback = box.querySelector(".invite-fallback");
const field = document.getElementById("invite-link");
const list = document.getElementById("chat-list");
const empty = document.getElementById("chat-empty");

/** The room page's own address, as the visitor reached it: what others open to come in. */
function inviteLink() {
  return new URL(window.location.pathname, window.location.origin).href;
}

let clear = null;
function say(message) {
  status.textContent = message;
  clearTimeout(clear);
  clear = setTimeout(() => (status.textContent = ""), SHOWN_MS);
}

/** No clipboard (plain http on another host, or refused): the link, selected, to copy by hand. */
function showByHand(link) {
  field.value = link;
  fallback.querySelector(".invite-fallback-label").textContent = t("copyByHand");
  fallback.hidden = false;
  field.focus();
  field.select();
}

button.addEventListener("click", async () => {
  const link = inviteLink();
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(link);
  } catch {
    showByHand(link);
    return;
  }
  fallback.hidden = true;
  say(box.dataset.secret ? t("copiedSecret") : t("copied"));
});

// Notices of people coming and going are not messages: the line stays until someone speaks,
// or until the notices alone reach it, when it gives way rather than cover them.
function showEmpty() {
  empty.hidden = list.querySelector("li.message") !== null;
  const first = list.firstElementChild;
  if (!empty.hidden && first) {
    // The notices sit by the composer and grow upwards: do they reach the line's band?
    const line = empty.getBoundingClientRect();
    const top = first.getBoundingClientRect().top;
    const bottom = list.lastElementChild.getBoundingClientRect().bottom;
    empty.hidden = top < line.bottom && bottom > line.top;
  }
}
new MutationObserver(showEmpty).observe(list, { childList: true });
new ResizeObserver(showEmpty).observe(list);
showEmpty();
