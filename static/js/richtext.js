// A message's text as DOM nodes: http(s) links made clickable, mentions of me marked.
// Built with text nodes only, never innerHTML: the text is whatever someone typed.

const LINK = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'")\]}>]+$/; // "see https://x.org/a." ends the sentence, not the link

/** The address as a safe link target, or null (only http and https are ever linked). */
function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function link(text, href) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  return a;
}

/** Where `@name` (any of names) starts in text, case-insensitively; [] for none. */
function mentionSpans(text, names) {
  const lower = text.toLowerCase();
  const spans = [];
  for (const name of names) {
    if (!name) continue;
    const needle = "@" + name.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
      const before = at === 0 ? " " : lower[at - 1];
      const after = lower[at + needle.length] ?? " ";
      if (/[\s(["'“‘]/.test(before) && !/[\p{L}\p{N}_]/u.test(after)) spans.push([at, at + needle.length]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** Append text to parent with each mention of me in a <mark>; whether there was one. */
function appendMentions(parent, text, names) {
  let from = 0;
  let found = false;
  for (const [start, end] of mentionSpans(text, names)) {
    if (start < from) continue;
    parent.append(text.slice(from, start));
    const mark = document.createElement("mark");
    mark.className = "mention";
    mark.textContent = text.slice(start, end);
    parent.append(mark);
    from = end;
    found = true;
  }
  parent.append(text.slice(from));
  return found;
}

/** Whether text mentions any of names as "@name". */
export function mentions(text, names) {
  return typeof text === "string" && mentionSpans(text, names).length > 0;
}

/** Fill `parent` with text: links clickable, mentions of any of `names` marked; true if mentioned. */
export function appendRichText(parent, text, names) {
  let from = 0;
  let mentioned = false;
  for (const match of text.matchAll(LINK)) {
    const address = match[0].replace(TRAILING, "");
    const href = safeUrl(address);
    if (!href) continue;
    mentioned = appendMentions(parent, text.slice(from, match.index), names) || mentioned;
    parent.append(link(address, href));
    from = match.index + address.length;
  }
  return appendMentions(parent, text.slice(from), names) || mentioned;
}
