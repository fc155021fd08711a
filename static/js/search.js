// Search in the room: the header's field asks the server (GET …/chats?q=), the results list
// with the matches marked, newest first, "More results" for the next page; choosing one shows
// it in the conversation.
import { read } from "./api.js";
import { lang, limits } from "./page.js";
import { personName } from "./people.js";
import { rt } from "./room-strings.js";

const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

/** `text` as nodes, every case-insensitive occurrence of `query` in a <mark>. */
export function marked(text, query) {
  const nodes = [];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); needle && at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) nodes.push(document.createTextNode(text.slice(from, at)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + needle.length);
    nodes.push(mark);
    from = at + needle.length;
  }
  if (from < text.length) nodes.push(document.createTextNode(text.slice(from)));
  return nodes;
}

export function setupSearch({ form, panel, url, jumpTo, onError }) {
  const field = form.querySelector("input[type=search]");
  const results = panel.querySelector("ol");
  const status = panel.querySelector(".search-status");
  const more = panel.querySelector(".search-more");
  let query = "";
  let cursor = null; // where the next page starts: the last result's seq, or id

  function result(chat) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.id = chat._id;
    if (chat.seq != null) b.dataset.seq = String(chat.seq);
    const who = document.createElement("span");
    who.className = "search-who";
    who.append(personName({ handle: chat.handle, color: chat.user, name: chat.name })); // heard without codes
    const time = document.createElement("time");
    time.dateTime = chat.createdAt;
    time.textContent = when.format(new Date(chat.createdAt));
    const text = document.createElement("span");
    text.className = "search-text";
    text.append(...marked(String(chat.chat ?? ""), query));
    b.append(who, " ", time, text);
    li.append(b);
    return li;
  }

  async function page(first) {
    const params = new URLSearchParams({ q: query });
    if (!first && cursor) params.set(cursor.key, cursor.value);
    let chats;
    try {
      chats = (await read(url + "?" + params)).chats || [];
    } catch {
      return onError(rt("searchFailed"));
    }
    if (first) results.replaceChildren();
    results.append(...chats.map(result));
    const last = chats.at(-1);
    cursor = last && (last.seq != null ? { key: "before_seq", value: last.seq } : { key: "before", value: last._id });
    more.hidden = chats.length < limits.historyPage; // a short page is the last one
    const count = results.children.length;
    status.textContent = count ? rt("searchFound", { count: String(count) }) : rt("searchNone", { q: query });
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
    results.replaceChildren();
    status.textContent = "";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    query = field.value.trim();
    if (!query) return close();
    page(true);
  });
  field.addEventListener("search", () => !field.value && close()); // the field's own clear
  field.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  more.addEventListener("click", () => page(false));
  panel.querySelector(".search-close").addEventListener("click", () => {
    close();
    field.focus();
  });
  results.addEventListener("click", async (event) => {
    const b = event.target.closest("button[data-id]");
    if (b && !(await jumpTo(b.dataset.id, b.dataset.seq))) onError(rt("originalGone"));
  });
}
