// How one chat becomes a list item: text or GIF bubbles, whispers, notices, timestamps,
// and under a message its reactions and (for its author or the owner) a delete button.
import { paint } from "./colors.js";
import { deleteButton } from "./deleting.js";
import { lang, me, notice, t } from "./page.js";
import { label, menuLabel, myHandle, personName } from "./people.js";
import { moreButton, reactionBar } from "./reactions.js";
import { appendRichText } from "./richtext.js";
import { myNames, rt } from "./room-strings.js";

const still = window.matchMedia("(prefers-reduced-motion: reduce)");
const timeOnly = new Intl.DateTimeFormat(lang, { timeStyle: "short" });
const dateAndTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
const full = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "medium" });

/** A notice in the viewer's language, from its kind and who; the stored text otherwise. */
function systemText(chat) {
  const who = chat.who && menuLabel({ handle: chat.handle, name: chat.name, color: chat.who });
  return (chat.kind && who && notice(chat.kind, who)) || chat.chat || "";
}

/** Show a <time datetime> in the viewer's time zone: the time today, the date otherwise. */
function formatTime(time) {
  const moment = new Date(time.dateTime);
  if (Number.isNaN(moment.getTime())) return;
  const today = new Date().toDateString() === moment.toDateString();
  time.textContent = (today ? timeOnly : dateAndTime).format(moment);
  time.title = full.format(moment);
}

function whisperLabel(chat) {
  const span = document.createElement("span");
  span.className = "whisper-label";
  const toMe = chat.toHandle ? chat.toHandle === myHandle : chat.to === me;
  const to = label({ name: chat.toName, color: chat.to });
  span.textContent = toMe ? t("whisperToMe") : t("whisperTo", { color: to });
  return span;
}

/** The list item for a chat from the server (the page's data, an event or a history page). */
export function renderChat(chat, gifBase) {
  const li = document.createElement("li");
  li.dataset.id = chat._id || "";
  if (chat.user === "system") {
    li.className = "system";
    if (chat.kind) li.dataset.kind = chat.kind;
    if (chat.who) li.dataset.who = chat.who;
    li.textContent = systemText(chat);
    return li;
  }
  const mine = chat.handle ? chat.handle === myHandle : chat.user === me;
  li.className = "message " + (mine ? "mine" : "other");
  paint(li, chat.user);
  if (chat.owner) li.classList.add("by-owner"); // the server's mark: no color can fake it
  // A run (messages.js) is one person's messages under one name line: the same sender (the
  // key that decides "mine") showing the same name line (name, owner mark, whisper or not).
  li.dataset.run = JSON.stringify([chat.handle || chat.user, chat.name || "", !!chat.owner, chat.toHandle || chat.to || ""]);
  li.dataset.time = String(Date.parse(chat.createdAt));
  const meta = document.createElement("div");
  meta.className = "meta";
  const sender = { handle: chat.handle, color: chat.user, name: chat.name };
  meta.append(personName(sender, { owner: chat.owner }));
  if (chat.to) {
    li.classList.add("whisper");
    li.dataset.to = chat.to;
    meta.append(whisperLabel(chat));
  }
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (chat.gif) {
    bubble.append(gifImage(chat, gifBase, t("gifFrom", { color: label(sender) })));
    holdStill(bubble.querySelector("img"));
  } else {
    const p = document.createElement("p");
    p.className = "text";
    if (appendRichText(p, String(chat.chat ?? ""), myNames())) li.classList.add("mentions-me");
    bubble.append(p);
  }
  const time = document.createElement("time");
  time.dateTime = chat.createdAt;
  formatTime(time);
  // A small toolbar over the message's corner: it never moves the messages around it.
  const tools = document.createElement("div");
  tools.className = "tools";
  tools.append(moreButton(), deleteButton());
  li.append(meta, bubble, time, reactionBar(chat), tools);
  return li;
}

/** A GIF in the feed: capped in height by CSS, opened large (gifs.js) by click or Enter. */
function gifImage(chat, gifBase, alt) {
  const img = document.createElement("img");
  img.className = "gif";
  img.loading = "lazy";
  img.src = gifBase + encodeURIComponent(chat.gif);
  img.alt = alt;
  img.dataset.gif = chat.gif;
  img.tabIndex = 0;
  img.setAttribute("role", "button");
  img.setAttribute("aria-label", img.alt + " · " + rt("openGif"));
  return img;
}

/** For people who asked for less motion: the GIF's first frame, still, until they press play. */
function holdStill(img) {
  if (!still.matches || img.dataset.still) return;
  img.dataset.still = "held";
  img.loading = "eager"; // a hidden lazy image would never load
  const canvas = document.createElement("canvas");
  canvas.className = "gif-still";
  canvas.width = canvas.height = 0;
  // The still frame opens large (gifs.js) as the moving GIF does: by click, Enter or Space.
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "button");
  canvas.setAttribute("aria-label", img.getAttribute("aria-label"));
  const button = document.createElement("button");
  button.type = "button";
  button.className = "gif-play";
  const draw = () => {
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(img, 0, 0);
  };
  const show = (playing) => {
    img.hidden = !playing;
    canvas.hidden = playing;
    img.dataset.still = playing ? "playing" : "held";
    button.setAttribute("aria-pressed", String(playing));
    button.setAttribute("aria-label", t(playing ? "pauseGif" : "playGif") + " · " + img.alt);
    button.textContent = playing ? "❚❚" : "▶";
  };
  if (img.complete && img.naturalWidth) draw();
  else img.addEventListener("load", draw, { once: true });
  button.addEventListener("click", () => {
    const playing = img.hidden;
    if (!playing && img.naturalWidth) draw(); // pausing keeps the frame on screen now
    show(playing);
  });
  img.before(canvas);
  img.after(button);
  img.parentElement.classList.add("has-still");
  show(false);
}
