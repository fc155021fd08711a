// Reactions under a message: the counted ones always, the rest of the set behind "☺+".
// One press toggles mine; everyone's counts arrive live as "reaction" events.
// "☺+" is a menu button (WAI-ARIA's pattern): it opens the whole set as a menu, focus goes
// in, arrows move, Enter or Space chooses, Esc (or a choice) closes it and focus goes back.
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
    if (b.hasAttribute("aria-checked")) b.setAttribute("aria-checked", String(pressed && count > 0));
    b.setAttribute("aria-label", rt("reactWith", { emoji, count: String(count) }));
  }
}

/** The reactions bar of a chat from the server ({reactions, mine} when it has any). */
export function reactionBar(chat) {
  const bar = document.createElement("div");
  bar.className = "reactions";
  if (chat._id) bar.id = "reactions-" + chat._id; // what its "☺+" controls
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

/** The button that offers the whole set of reactions under a message, as a menu. */
export function moreButton(chat) {
  const more = button("react-more", "☺+");
  more.setAttribute("aria-haspopup", "menu");
  more.setAttribute("aria-expanded", "false");
  if (chat && chat._id) more.setAttribute("aria-controls", "reactions-" + chat._id);
  more.setAttribute("aria-label", rt("react"));
  return more;
}

const choices = (bar) => [...bar.querySelectorAll("button.reaction")];

/** Open a message's set as a menu, focus on its first (or last) choice. */
function openMenu(more, last = false) {
  const bar = more.closest("li").querySelector(".reactions");
  for (const open of document.querySelectorAll(".reactions[role=menu]")) closeMenu(open, false);
  bar.classList.add("picking");
  bar.setAttribute("role", "menu");
  bar.setAttribute("aria-label", rt("react"));
  for (const b of choices(bar)) {
    b.setAttribute("role", "menuitemcheckbox");
    b.setAttribute("aria-checked", b.getAttribute("aria-pressed"));
    b.tabIndex = -1;
  }
  more.setAttribute("aria-expanded", "true");
  const all = choices(bar);
  all[last ? all.length - 1 : 0].focus();
}

/** Back to the counted reactions as plain buttons; focus back on "☺+" when it was inside. */
function closeMenu(bar, refocus) {
  if (!bar.hasAttribute("role")) return;
  const more = bar.closest("li").querySelector(".react-more");
  // Focus first: once the set folds, the focused choice may be gone, and the tools with it.
  if (refocus) more?.focus();
  bar.classList.remove("picking");
  bar.removeAttribute("role");
  bar.removeAttribute("aria-label");
  for (const b of choices(bar)) {
    b.removeAttribute("role");
    b.removeAttribute("aria-checked");
    b.removeAttribute("tabindex");
  }
  more?.setAttribute("aria-expanded", "false");
}

/** The keys of an open menu, and of "☺+" (↓ or ↑ opens it as Enter does). */
function onKey(event) {
  const more = event.target.closest?.("button.react-more");
  if (more && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    event.preventDefault();
    return openMenu(more, event.key === "ArrowUp");
  }
  const bar = event.target.closest?.(".reactions[role=menu]");
  if (!bar) return;
  const all = choices(bar);
  const at = all.indexOf(event.target);
  const to = {
    ArrowDown: at + 1,
    ArrowRight: at + 1,
    ArrowUp: at - 1,
    ArrowLeft: at - 1,
    Home: 0,
    End: all.length - 1,
  }[event.key];
  if (to !== undefined) {
    event.preventDefault();
    all[(to + all.length) % all.length].focus();
  } else if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation(); // an Esc that closes the menu does nothing else
    closeMenu(bar, true);
  } else if (event.key === "Tab") {
    closeMenu(bar, true); // Tab goes on from "☺+", as from a closed menu
  }
}

/** Presses on any message's reactions, and the live counts of everyone's. */
export function setupReactions({ list, url, socket, onError }) {
  // A tap focuses its message, which may scroll the list before the click comes; the click then
  // lands beside the bubble, on the message. What was pressed decides.
  let pressed = null;
  list.addEventListener("pointerdown", (event) => (pressed = event.target));
  list.addEventListener("click", async (event) => {
    const target = pressed && event.target.contains(pressed) ? pressed : event.target;
    pressed = null;
    // A tap on a message's bubble (not on its link or GIF) shows its tools where nothing hovers.
    const bubble = target.closest(".bubble");
    if (bubble && !target.closest("a, img, canvas, button")) {
      bubble.closest("li.message")?.classList.toggle("tools-open");
      return;
    }
    const more = event.target.closest("button.react-more");
    if (more) {
      if (more.getAttribute("aria-expanded") === "true") closeMenu(more.closest("li").querySelector(".reactions"), true);
      else openMenu(more);
      return;
    }
    const b = event.target.closest("button.reaction");
    const li = b && b.closest("li[data-id]");
    if (!li) return;
    const bar = li.querySelector(".reactions");
    // A choice closes the menu and focus goes back to "☺+" (before disabling the choice, which
    // would take the focus, and the message's tools with it, away).
    const fromMenu = bar.hasAttribute("role");
    if (fromMenu) closeMenu(bar, document.activeElement === b);
    b.disabled = true;
    try {
      const answer = await send("POST", url(li.dataset.id), { emoji: b.dataset.emoji });
      showReactions(li, answer.reactions, answer.mine);
    } catch (error) {
      onError(error.message);
    } finally {
      b.disabled = false;
      // A counted reaction keeps the focus, or gives it to its message once it is gone.
      if (!fromMenu) (b.checkVisibility() ? b : li).focus();
    }
  });
  list.addEventListener("keydown", onKey);
  // Focus gone elsewhere (a click away, another message): the menu closes, focus stays there.
  list.addEventListener("focusout", (event) => {
    const bar = event.target.closest?.(".reactions[role=menu]");
    const li = bar?.closest("li");
    if (bar && event.relatedTarget && !li.contains(event.relatedTarget)) closeMenu(bar, false);
  });
  socket.on("reaction", (data) => {
    const li = data && list.querySelector(`li[data-id="${CSS.escape(String(data._id))}"]`);
    if (li) showReactions(li, data.reactions, Array.isArray(data.mine) ? data.mine : null);
  });
}
