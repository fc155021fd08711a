// How one chat becomes a list item: text or GIF bubbles, whispers, notices, timestamps, the
// message it replies to, and under it its reactions and tools (reply, edit, delete).
import { paint } from "./colors.js";
import { deleteButton } from "./deleting.js";
import { gifImage, holdStill } from "./gifitem.js";
import { lang, me, notice, t } from "./page.js";
import { heardName, label, menuLabel, myHandle, now, personName, spoken } from "./people.js";
import { moreButton, reactionBar } from "./reactions.js";
import { appendRichText } from "./richtext.js";
import { myNames, rt } from "./room-strings.js";

const timeOnly = new Intl.DateTimeFormat(lang, { timeStyle: "short" });
const dateAndTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
const full = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "medium" });

const drawn = new WeakMap(); // list item → the chat it shows, to draw its names again

/** A notice in the viewer's language, from its kind and who; the stored text otherwise. */
function systemText(chat) {
  const who = chat.who && menuLabel({ handle: chat.handle, name: chat.name, color: chat.who });
  return (chat.kind && who && notice(chat.kind, who)) || chat.chat || "";
}

/** A notice's words: seen with the color's code, heard with a name or a color word. */
function showNotice(li, chat) {
  const day = li.querySelector(":scope > .day"); // the day mark (marks.js) stays on top
  const heardText = chat.kind && chat.who && notice(chat.kind, spoken({ handle: chat.handle, name: chat.name, color: chat.who }));
  if (!heardText) return li.replaceChildren(...(day ? [day] : []), systemText(chat));
  const seen = document.createElement("span");
  seen.className = "seen";
  seen.setAttribute("aria-hidden", "true");
  seen.textContent = systemText(chat);
  const heard = document.createElement("span");
  heard.className = "visually-hidden";
  heard.textContent = heardText;
  li.replaceChildren(...(day ? [day] : []), seen, heard);
}

/**
 * A <time datetime> in the viewer's time zone: the time today, the date otherwise. Its clock
 * has a span of its own, so a run can show it once and still show every "(edited)".
 */
function timeOf(createdAt) {
  const time = document.createElement("time");
  time.dateTime = createdAt;
  const clock = document.createElement("span");
  clock.className = "clock";
  time.append(clock);
  const moment = new Date(createdAt);
  if (Number.isNaN(moment.getTime())) return time;
  const today = new Date().toDateString() === moment.toDateString();
  clock.textContent = (today ? timeOnly : dateAndTime).format(moment);
  time.title = full.format(moment);
  return time;
}

function whisperLabel(chat) {
  const span = document.createElement("span");
  span.className = "whisper-label";
  const toMe = chat.toHandle ? chat.toHandle === myHandle : chat.to === me;
  if (toMe) {
    span.textContent = t("whisperToMe");
    return span;
  }
  const to = { handle: chat.toHandle, name: chat.toName, color: chat.to };
  const seen = document.createElement("span");
  seen.setAttribute("aria-hidden", "true");
  seen.textContent = t("whisperTo", { color: label(to) });
  const heard = document.createElement("span");
  heard.className = "visually-hidden";
  heard.textContent = t("whisperTo", { color: spoken(to) });
  span.append(seen, heard);
  return span;
}

/** "(edited)" beside the time, the time of the edit on hover. */
function editedMark(li, editedAt) {
  // Inside the time's cell, so the message's grid keeps its shape.
  let mark = li.querySelector(":scope > time > .edited");
  if (!mark) {
    mark = document.createElement("span");
    mark.className = "edited";
    mark.textContent = rt("edited");
    li.querySelector(":scope > time").append(" ", mark);
  }
  const moment = new Date(editedAt);
  mark.title = Number.isNaN(moment.getTime()) ? "" : rt("editedAt", { time: full.format(moment) });
}

function textParagraph(li, text) {
  const p = document.createElement("p");
  p.className = "text";
  li.classList.toggle("mentions-me", appendRichText(p, String(text ?? ""), myNames()));
  return p;
}

/** The quote above a reply's bubble: who and how it began; pressed, it shows the original. */
function quote(reply) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "reply-quote";
  button.dataset.replyTo = reply._id;
  const who = document.createElement("span");
  who.className = "quote-who";
  who.setAttribute("aria-hidden", "true"); // it may show a color's code: the label names them
  const excerpt = document.createElement("span");
  excerpt.className = "quote-text";
  excerpt.textContent = reply.excerpt === "GIF" ? rt("gifMarker") : reply.excerpt;
  button.append(who, excerpt);
  nameQuote(button, reply);
  return button;
}

/** The quote's sender by their name now (kept in place: the button may have the focus). */
function nameQuote(button, reply) {
  const person = now({ handle: reply.handle, name: reply.name });
  const seen = person.name || person.color || rt("someone"); // a color when known, as names show
  button.querySelector(".quote-who").textContent = seen;
  const excerpt = button.querySelector(".quote-text").textContent;
  const heard = person.name || person.color ? spoken(person) : rt("someone");
  button.setAttribute("aria-label", rt("replyingTo", { who: heard }) + ": " + excerpt);
}

/** An edit from the server ({chat, editedAt}) shown on its message. */
export function showEdit(li, data) {
  const chat = drawn.get(li);
  const old = li.querySelector(".bubble > p.text");
  if (!old || typeof data.chat !== "string") return;
  old.replaceWith(textParagraph(li, data.chat));
  if (chat) drawn.set(li, { ...chat, chat: data.chat, editedAt: data.editedAt });
  editedMark(li, data.editedAt);
}

/** The text a message shows now (after any edit), for editing and quoting. */
export function shownChat(li) {
  return drawn.get(li) || null;
}

/** After a rename or a new members list: every name and notice in the list, current again. */
export function refreshNames(list) {
  for (const li of list.children) {
    const chat = drawn.get(li);
    if (!chat) continue;
    if (chat.user === "system") showNotice(li, chat);
    else li.querySelector(".meta > .person")?.replaceWith(sender(chat));
    const button = li.querySelector(".reply-quote");
    if (button) nameQuote(button, chat.replyTo);
  }
}

function sender(chat) {
  return personName({ handle: chat.handle, color: chat.user, name: chat.name }, { owner: chat.owner });
}

function toolButton(className, key) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = rt(key);
  return b;
}

/** The list item for a chat from the server (the page's data, an event or a history page). */
export function renderChat(chat, gifBase) {
  const li = document.createElement("li");
  li.dataset.id = chat._id || "";
  drawn.set(li, chat);
  if (chat.handle) {
    li.dataset.handle = chat.handle;
    if (chat.user !== "system") heardName(chat.handle, chat.name, chat.user, chat._id);
  }
  const said = Date.parse(chat.createdAt);
  if (said) li.dataset.time = String(said); // its day, for the day marks (marks.js)
  if (chat.user === "system") {
    li.className = "system";
    if (chat.kind) li.dataset.kind = chat.kind;
    if (chat.who) li.dataset.who = chat.who;
    showNotice(li, chat);
    return li;
  }
  const mine = chat.handle ? chat.handle === myHandle : chat.user === me;
  li.className = "message " + (mine ? "mine" : "other");
  paint(li, chat.user);
  if (chat.owner) li.classList.add("by-owner"); // the server's mark: no color can fake it
  // A run (messages.js) is one person's messages under one name line: the same sender (the
  // key that decides "mine") showing the same name line (name, owner mark, whisper or not).
  li.dataset.run = JSON.stringify([chat.handle || chat.user, chat.name || "", !!chat.owner, chat.toHandle || chat.to || ""]);
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.append(sender(chat));
  if (chat.to) {
    li.classList.add("whisper");
    li.dataset.to = chat.to;
    // Whom a reply to it goes to: the whisper's other person, seen from here.
    const other = mine ? chat.toHandle : chat.handle;
    if (other) li.dataset.whisperWith = other;
    meta.append(whisperLabel(chat));
  }
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (chat.replyTo && chat.replyTo._id) bubble.append(quote(chat.replyTo));
  if (chat.gif) {
    li.classList.add("gif-message");
    const from = spoken({ handle: chat.handle, color: chat.user, name: chat.name });
    bubble.append(gifImage(chat, gifBase, t("gifFrom", { color: from })));
    holdStill(bubble.querySelector("img"));
  } else {
    bubble.append(textParagraph(li, chat.chat));
  }
  const time = timeOf(chat.createdAt);
  // A small toolbar over the message's corner: it never moves the messages around it.
  const tools = document.createElement("div");
  tools.className = "tools";
  tools.append(moreButton(chat), toolButton("reply-message", "reply"));
  if (!chat.gif) tools.append(toolButton("edit-message", "editMessage")); // shown to its author
  tools.append(deleteButton());
  // The tools before the reactions: ☺+ opens them as its menu (reactions.js), and Tab from it
  // goes on to Reply, never into the menu's choices.
  li.append(meta, bubble, time, tools, reactionBar(chat));
  if (chat.editedAt) editedMark(li, chat.editedAt);
  return li;
}
