// Reading the room's history: a page older than a message, and the replay after a reconnect.
import { read } from "./api.js";

const BEFORE_ALL = "0".repeat(24); // the room-start line's id, older than any message's
const START_SEQ = 0; // every message's seq (its place in the room's one order) is above it

/**
 * One page of `url` (the room's history route): {before_seq} newest first, {after_seq}
 * oldest first. Pages go by seq, not id: ids from two server processes in the same second
 * do not sort by time, seqs are given by the store in the order it accepted the messages.
 */
export async function loadPage(url, params = {}) {
  const query = new URLSearchParams(params).toString();
  return (await read(query ? url + "?" + query : url)).chats || [];
}

/**
 * Everything said after seq `afterSeq` (the newest message shown before the live feed came
 * back), however long the gap: page on until a page is empty. The cursor is the last seq of
 * each page, not the newest shown, as live messages may already be newer than the gap.
 */
export async function replay(url, messages, afterSeq) {
  let cursor = afterSeq || START_SEQ;
  for (;;) {
    const page = await loadPage(url, { after_seq: cursor });
    messages.add(page);
    const last = page.at(-1)?.seq;
    if (!(last > cursor)) return; // caught up (or a server that ignores `after_seq`)
    cursor = last;
  }
}

/**
 * "This is the start of <room>" at the top of the list, once the room's oldest message is
 * shown: a page shorter than a full one has nothing older behind it. Its seq is below any,
 * so messages go after it and the next look for older ones finds nothing. A room
 * where nobody has said anything yet shows it only with its first message: until then the
 * line inviting a first message (invite.js) says enough.
 */
export function createStartMarker({ list, template, pageSize, lang }) {
  let reached = false; // the oldest message there is, is shown

  function show() {
    if (!reached || list.querySelector(":scope > li.room-start")) return; // once
    if (!list.querySelector(":scope > li.message")) return; // notices only, so far
    const li = template.content.firstElementChild.cloneNode(true);
    li.dataset.id = BEFORE_ALL;
    li.dataset.seq = String(START_SEQ);
    const time = li.querySelector("time");
    const created = time && new Date(time.dateTime);
    if (created && !Number.isNaN(created.getTime())) {
      time.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(created);
    }
    list.prepend(li);
  }
  new MutationObserver(show).observe(list, { childList: true });

  return {
    /** A page of older history (or the page's first) just read: is it the last one? */
    seen(page) {
      if (page.length < pageSize) reached = true;
      show();
      return page;
    },
  };
}
