// The message list: every chat drawn once, in the room's order (seq), following the newest
// message unless the reader scrolled up to read; older pages as they scroll to the top.
// One person's consecutive messages form a run, named once (the rest are "grouped").
// A message can be shown on request (a quote, a search result): older pages load until it is.
// The keyboard moves through it as one tab stop (roving.js); days and run times are marked in
// the items (marks.js); what arrives is counted on the pill and said (arrivals.js).
import { createArrivals } from "./arrivals.js";
import { dayLabels, markDays, regroup } from "./marks.js";
import { lang } from "./page.js";
import { isPending, pendingMessages } from "./pending.js";
import { showReactions } from "./reactions.js";
import { refreshNames, renderChat, showEdit } from "./render.js";
import { createRoving } from "./roving.js";

const HIGHLIGHT_MS = 2500; // how long a message shown on request stays marked
const MAX_PAGES = 200; // how far back a jump pages before it gives up

export function createMessageList({ list, pill, olderStatus, gifBase, loadPage, announcer, loading }) {
  const roving = createRoving({ list });
  const arrivals = createArrivals({ pill, announcer });
  const dayLabel = dayLabels(lang);
  const shown = new Map(); // chat id → its list item: nothing is drawn twice
  let stuck = true; // following the newest message; false once the reader scrolls up
  let lastTop = 0; // where the list was at the last scroll event: up from there is the reader
  let lastHeight = 0; // how tall its content was then
  let oldestLoaded = false;
  let loadingOlder = false;

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  }

  function scrollToBottom() {
    list.scrollTop = list.scrollHeight;
    lastTop = list.scrollTop;
    lastHeight = list.scrollHeight;
    stuck = true;
    arrivals.seen();
  }

  // Anything that changes size (a GIF loading, a message drawn, the composer growing) keeps
  // a reader who follows the newest message at the bottom.
  const resized = new ResizeObserver(() => stuck && scrollToBottom());
  resized.observe(list);

  /** Put `li` where its seq belongs; seqs grow as messages come, so nearly always at an end. */
  function place(li, seq) {
    const first = list.firstElementChild;
    if (first && seq < Number(first.dataset.seq)) return list.prepend(li);
    let next = null;
    for (let item = list.lastElementChild; item && Number(item.dataset.seq) > seq; item = item.previousElementSibling) {
      next = item;
    }
    list.insertBefore(li, next);
  }

  /** Draw the chats not shown yet, each in its place; how many were new. */
  function draw(chats) {
    let added = 0;
    for (const chat of chats) {
      if (!chat || !chat._id || shown.has(chat._id)) continue;
      const li = renderChat(chat, gifBase);
      li.dataset.seq = String(chat.seq);
      shown.set(chat._id, li);
      place(li, chat.seq);
      resized.observe(li);
      regroup(li);
      regroup(li.nextElementSibling);
      added += 1;
    }
    if (added) markDays(list, dayLabel);
    if (loading) loading.hidden = true; // the first draw, even of nothing, ends the wait
    return added;
  }

  /** New chats (events, the replay, my own): follow them, or offer the pill; say others'. */
  function add(chats, own = false) {
    const fresh = chats.filter((chat) => chat && chat._id && !shown.has(chat._id));
    const added = draw(chats);
    if (added && !own) arrivals.say(fresh);
    if (added && (own || stuck)) scrollToBottom();
    else if (added) arrivals.waiting(fresh.filter((chat) => chat.user !== "system").length || 0);
    return added;
  }

  /** Older history as the reader scrolls up, keeping what they look at where it is. */
  async function loadOlder() {
    if (oldestLoaded || loadingOlder) return;
    const first = list.firstElementChild;
    if (!first || isPending(first)) {
      oldestLoaded = true;
      return;
    }
    loadingOlder = true;
    olderStatus.hidden = false;
    list.setAttribute("aria-busy", "true");
    try {
      const page = await loadPage({ before_seq: first.dataset.seq });
      const height = list.scrollHeight;
      const top = list.scrollTop;
      if (draw(page) === 0) oldestLoaded = true;
      list.scrollTop = top + list.scrollHeight - height;
    } catch {
      // scrolling up again tries again
    } finally {
      loadingOlder = false;
      olderStatus.hidden = true;
      list.removeAttribute("aria-busy");
    }
    if (!oldestLoaded && list.scrollTop < 120) loadOlder(); // still nothing to scroll up to
  }

  // Only the reader moving up lets go of the bottom. A scroll event comes a frame after the
  // scroll, and content that changed size meanwhile (a GIF's size now known, a message drawn)
  // moves the list by itself, even up: a reader who followed then stays at the bottom.
  list.addEventListener(
    "scroll",
    () => {
      const relaidOut = list.scrollHeight !== lastHeight;
      if (atBottom()) stuck = true;
      else if (stuck && relaidOut) scrollToBottom();
      else if (list.scrollTop < lastTop - 1) stuck = false;
      lastTop = list.scrollTop;
      lastHeight = list.scrollHeight;
      if (stuck) arrivals.seen();
      if (list.scrollTop < 120) loadOlder();
    },
    { passive: true },
  );
  // A GIF that finishes loading grows the list: keep the newest message in view.
  list.addEventListener("load", () => stuck && scrollToBottom(), true);
  pill.addEventListener("click", () => {
    scrollToBottom();
    list.focus();
  });

  /** A deleted message goes; its id stays known, so no late copy of it is drawn again. */
  function remove(id) {
    const li = shown.get(id);
    if (!li || !li.isConnected) return;
    const hadFocus = li.contains(document.activeElement);
    const [prev, next] = [li.previousElementSibling, li.nextElementSibling];
    // Where a message went, the run breaks: the next one says its name again.
    if (prev) prev.dataset.breakAfter = "deleted";
    else if (next) next.dataset.breakBefore = "deleted";
    li.remove();
    resized.unobserve(li);
    regroup(next);
    if (!next) prev?.classList.remove("continued"); // the run's last message is its new end
    markDays(list, dayLabel);
    // A keyboard reader stays in the list: on the message that took its place.
    const near = [next, prev].find((item) => item?.matches("li.message, li.system"));
    if (hadFocus) (near ? roving.focus(near) : list.focus());
  }

  /**
   * The latest page (newest first) read after a gap: a message in its range that it no
   * longer has was deleted meanwhile, and its reactions are the ones to show now.
   */
  function reconcile(page) {
    if (!page.length) return;
    const ids = new Set(page.map((chat) => chat._id));
    const [newest, oldest] = [page[0].seq, page.at(-1).seq];
    for (const [id, li] of [...shown]) {
      const seq = Number(li.dataset.seq);
      if (seq >= oldest && seq <= newest && !ids.has(id)) remove(id);
    }
    for (const chat of page) {
      const li = shown.get(chat._id);
      if (li) showReactions(li, chat.reactions || {}, chat.mine || []);
      if (li && chat.editedAt) showEdit(li, chat);
    }
  }

  /**
   * Older pages, one after another, until the message `id` is drawn or none is left. With
   * its `seq` (a search result has it; a quote does not) it stops once the list goes past it.
   */
  async function reach(id, seq) {
    for (let pages = 0; !shown.has(id) && !oldestLoaded && pages < MAX_PAGES; pages += 1) {
      const first = list.querySelector(":scope > li.message:not(.pending), :scope > li.system");
      if (!first || (seq && Number(first.dataset.seq) <= seq)) break; // it would be drawn: gone
      const page = await loadPage({ before_seq: first.dataset.seq });
      if (draw(page) === 0) oldestLoaded = true;
    }
    const li = shown.get(id);
    return li && li.isConnected ? li : null;
  }

  /** Scroll to the message `id` and mark it a moment; false when it is not there (deleted). */
  async function jumpTo(id, seq) {
    const li = shown.get(id)?.isConnected ? shown.get(id) : await reach(id, Number(seq) || 0);
    if (!li) return false;
    stuck = false;
    li.scrollIntoView({ block: "center" });
    lastTop = list.scrollTop;
    li.classList.add("highlight");
    li.tabIndex = -1;
    li.focus({ preventScroll: true });
    setTimeout(() => li.classList.remove("highlight"), HIGHLIGHT_MS);
    return true;
  }

  return {
    add,
    remove,
    reconcile,
    jumpTo,
    /** An edit ({_id, chat, editedAt}) from the server: the message shows the new words. */
    edit(data) {
      const li = data && shown.get(String(data._id));
      if (li && li.isConnected) showEdit(li, data);
    },
    /** Names changed (a rename, the members list): every message shows the current ones. */
    renamed() {
      refreshNames(list);
    },
    /** From now on new chats are said in the live region (the page's first ones were not). */
    speak: arrivals.speak,
    /** My newest text message, for ↑ in an empty composer; none while it is still on its way
     * (an older one would be edited by mistake). */
    myLast() {
      const mine = list.querySelectorAll(":scope > li.message.mine:not(.gif-message)");
      const last = mine[mine.length - 1];
      return last && !isPending(last) ? last : null;
    },
    /** The seq of the newest chat shown, or 0 before any. */
    newestSeq() {
      let item = list.lastElementChild;
      while (item && isPending(item)) item = item.previousElementSibling;
      return Number(item?.dataset.seq) || 0;
    },
    /** The list item of a chat shown, by its id. */
    item: (id) => (shown.get(id)?.isConnected ? shown.get(id) : null),
    /** Whether the reader follows the newest message (is at the bottom). */
    following: () => stuck,
    ...pendingMessages({ list, resized, add, scrollToBottom }),
  };
}
