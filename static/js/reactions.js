// Reactions under a message: the counted ones always, the rest of the set behind "☺+".
// One press toggles mine; everyone's counts arrive live as "reaction" events.
import { send } from "./api.js";
import { reactions, rt } from "./room-strings.js";

function button(className, text) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = text;
  return b;
}

/** Show counts {emoji: n} on a message's bar; `mine` (a list) when known, else kept as shown. */
export function showReactions(li, counts, mine) {
  const bar = li.querySelector(".reactions");
  if (bar) paint(bar, counts, mine);
}

function paint(bar, counts, mine) {
  for (const b of bar.querySelectorAll("button.reaction")) {
    const emoji = b.dataset.emoji;
    const count = (counts && counts[emoji]) || 0;
    const pressed = mine ? mine.includes(emoji) : b.getAttribute("aria-pressed") === "true";
    b.querySelector(".count").textContent = count ? String(count) : "";
    b.dataset.count = String(count);
    b.setAttribute("aria-pressed", String(pressed && count > 0));
    b.setAttribute("aria-label", rt("reactWith", { emoji, count: String(count) }));
  }
}

/** The reactions bar of a chat from the server ({reactions, mine} when it has any). */
export function reactionBar(chat) {
  const bar = document.createElement("div");
  bar.className = "reactions";
  for (const emoji of reactions) {
    const b = button("reaction", "");
    b.dataset.emoji = emoji;
    const face = document.createElement("span");
    face.setAttribute("aria-hidden", "true");
    face.textContent = emoji;
    const count = document.createElement("span");
    count.className = "count";
    count.setAttribute("aria-hidden", "true");
    b.append(face, count);
    bar.append(b);
  }
  paint(bar, chat.reactions || {}, chat.mine || []);
  return bar;
}

/** The button that offers the whole set of reactions under a message. */
export function moreButton() {
  const more = button("react-more", "☺+");
  more.setAttribute("aria-expanded", "false");
  more.setAttribute("aria-label", rt("react"));
  return more;
}

/** Presses on any message's reactions, and the live counts of everyone's. */
export function setupReactions({ list, url, socket, onError }) {
  list.addEventListener("click", async (event) => {
    // A tap on a message's bubble (not on its link or GIF) shows its tools where nothing hovers.
    const bubble = event.target.closest(".bubble");
    if (bubble && !event.target.closest("a, img, canvas, button")) {
      bubble.closest("li.message")?.classList.toggle("tools-open");
      return;
    }
    const more = event.target.closest("button.react-more");
    if (more) {
      const open = more.getAttribute("aria-expanded") !== "true";
      more.setAttribute("aria-expanded", String(open));
      more.closest("li").querySelector(".reactions").classList.toggle("picking", open);
      return;
    }
    const b = event.target.closest("button.reaction");
    const li = b && b.closest("li[data-id]");
    if (!li) return;
    b.disabled = true;
    try {
      const answer = await send("POST", url(li.dataset.id), { emoji: b.dataset.emoji });
      showReactions(li, answer.reactions, answer.mine);
      li.querySelector(".reactions").classList.remove("picking");
      li.querySelector(".react-more")?.setAttribute("aria-expanded", "false");
    } catch (error) {
      onError(error.message);
    } finally {
      b.disabled = false;
      b.focus();
    }
  });
  socket.on("reaction", (data) => {
    const li = data && list.querySelector(`li[data-id="${CSS.escape(String(data._id))}"]`);
    if (li) showReactions(li, data.reactions, Array.isArray(data.mine) ? data.mine : null);
  });
}
