// A message's text as DOM nodes: http(s) links made clickable, mentions of me marked.
// Built with text nodes only, never innerHTML: the text is whatever someone typed.
//
// Direction controls are neutralised here, where text meets layout, rather than when stored:
// the text stays as sent (edits, search and excerpts see it), messages stored before this
// rule are covered too, and isolation is a property of the page, not of the characters.
// An override or embedding forces the order of the letters it covers ("\u202Egnp.exe" reads
// "exe.png"): each becomes the isolate of the same direction, which moves its text as a unit
// but leaves its letters in their own order. Every run of text and every link is an isolate
// of its own (<bdi>, <a dir>), so nothing in one can reorder another, a name or the time.
const TO_ISOLATE = {
  "\u202a": "\u2066", // LRE → LRI
  "\u202b": "\u2067", // RLE → RLI
  "\u202c": "\u2069", // PDF → PDI
  "\u202d": "\u2066", // LRO → LRI
  "\u202e": "\u2067", // RLO → RLI
};
const FORCING = /[\u202a-\u202e]/g;
// A link ends at a direction control: none can hide inside its text.
const LINK = /\bhttps?:\/\/[^\s<>"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gi;
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

/** The text with every override and embedding turned into the matching isolate. */
export function isolateDirections(text) {
  return text.replace(FORCING, (control) => TO_ISOLATE[control]);
}

function link(text, href) {
  const a = document.createElement("a");
  a.dir = "ltr"; // an address reads left to right, isolated from the text around it
  a.href = href;
  a.textContent = text;
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  return a;
}

const WORD = /[\p{L}\p{N}_]/u;
const BEFORE_MENTION = /[\s(["'“‘]/;

/**
 * How many characters after `at` (an "@" in lower) mention `name` (lowercase), or 0: the
 * longest start of the name that ends where a word of it ends ("@alice" for "Alice
 * Wonderland the Third!!"), and is not followed in the text by more of a word.
 */
function mentionLength(lower, at, name) {
  let common = 0;
  while (common < name.length && lower[at + 1 + common] === name[common]) common += 1;
  for (let length = common; length > 0; length -= 1) {
    const nameGoesOn = length < name.length && WORD.test(name[length]);
    const textGoesOn = WORD.test(lower[at + 1 + length] ?? " ");
    if (!nameGoesOn && !textGoesOn && WORD.test(name.slice(0, length))) return length + 1;
  }
  return 0;
}

/** Where "@name" (or "@" and the start of a name, to a word's end) is in text; [] for none. */
function mentionSpans(text, names) {
  const lower = text.toLowerCase();
  const wanted = names.filter(Boolean).map((name) => name.toLowerCase());
  const spans = [];
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && !BEFORE_MENTION.test(lower[at - 1])) continue;
    const length = Math.max(0, ...wanted.map((name) => mentionLength(lower, at, name)));
    if (length) spans.push([at, at + length]);
  }
  return spans;
}

/** Append text to parent, isolated, with each mention of me in a <mark>; whether there was one. */
function appendMentions(parent, text, names) {
  if (!text) return false;
  const run = document.createElement("bdi");
  parent.append(run);
  return appendRun(run, text, names);
}

function appendRun(parent, text, names) {
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

/** Whether text mentions any of names as "@name" (or "@" and its first words). */
export function mentions(text, names) {
  return typeof text === "string" && mentionSpans(text, names).length > 0;
}

/** Fill `parent` with text: links clickable, mentions of any of `names` marked; true if mentioned. */
export function appendRichText(parent, original, names) {
  const text = isolateDirections(original);
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
