// A chat room: live messages, sending text and GIFs, older history on scroll, who is here.
import { send } from "./api.js";
import { createOwnerControls } from "./owner.js";
import { createParticipants } from "./participants.js";
import { renderChat, upgrade } from "./render.js";
import { t } from "./strings.js";
import { setupUploads } from "./upload.js";

const root = document.getElementById("room");
const me = document.body.dataset.me;
const list = document.getElementById("chat-list");
const form = document.getElementById("chat-form");
const input = document.getElementById("chat");
const errorBox = document.getElementById("chat-error");
const pill = document.getElementById("new-messages");
const olderStatus = document.getElementById("history-status");
let stuck = true; // following the newest message; false once the reader scrolls up
let oldestLoaded = false;
let loadingOlder = false;
let leaving = false;

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

/* Scrolling: stay with the newest message unless the reader went up to read. */

function atBottom() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 48;
}

function scrollToBottom() {
  list.scrollTop = list.scrollHeight;
  stuck = true;
  pill.hidden = true;
}

function known(id) {
  return id && list.querySelector('li[data-id="' + CSS.escape(id) + '"]');
}

function append(chat, own) {
  if (!chat || !chat._id || known(chat._id)) return;
  list.append(renderChat(chat, root.dataset.gifBase));
  if (own || stuck) scrollToBottom();
  else pill.hidden = false;
}

async function fetchPage(before) {
  const url = root.dataset.historyUrl + (before ? "?before=" + encodeURIComponent(before) : "");
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(t("failed"));
  return (await response.json()).chats || [];
}

/** Older history as the reader scrolls up, keeping what they look at where it is. */
async function loadOlder() {
  if (oldestLoaded || loadingOlder) return;
  const first = list.querySelector("li[data-id]:not([data-id=''])");
  if (!first) {
    oldestLoaded = true;
    return;
  }
  loadingOlder = true;
  olderStatus.hidden = false;
  list.setAttribute("aria-busy", "true");
  try {
    const page = await fetchPage(first.dataset.id);
    if (page.length === 0) oldestLoaded = true;
    const older = document.createDocumentFragment();
    for (const chat of page.reverse()) {
      if (!known(chat._id)) older.append(renderChat(chat, root.dataset.gifBase));
    }
    const height = list.scrollHeight;
    const top = list.scrollTop;
    list.prepend(older);
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

/** After a reconnection: whatever was said while we were away. */
async function catchUp() {
  try {
    for (const chat of (await fetchPage()).reverse()) append(chat, false);
  } catch {
    // the next event or a reload will do
  }
}

/* Sending */

let sending = false;

async function sendText() {
  const text = input.value.trim();
  if (!text || sending) return;
  const to = participants.recipient();
  sending = true;
  try {
    const data = await send("POST", root.dataset.chatUrl, to ? { chat: text, to } : { chat: text });
    input.value = "";
    fitInput();
    showError("");
    append(data, true);
  } catch (error) {
    showError(error.message || t("failed"));
  } finally {
    sending = false;
  }
}

function fitInput() {
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight + 2, 160) + "px";
}

/** Leave for the lobby after saying why (kicked, or the room is gone). */
function leave(message) {
  leaving = true;
  socket.disconnect();
  showError(message);
  form.querySelectorAll("input, textarea, select, button").forEach((c) => (c.disabled = true));
  setTimeout(() => window.location.assign(root.dataset.lobbyUrl), 2000);
}

const placeholder = input.placeholder;
const participants = createParticipants({
  root,
  input,
  onError: showError,
  onRecipient(color) {
    input.placeholder = color ? t("whisperTo", { color }) : placeholder;
  },
});
const ownerControls = createOwnerControls({
  root,
  onError: showError,
  onDeleted() {
    leaving = true;
    window.location.assign(root.dataset.lobbyUrl);
  },
});

function setOwner(color) {
  participants.setOwner(color);
  ownerControls.update(color === me);
}

setupUploads({
  url: root.dataset.gifUrl,
  input: document.getElementById("gif"),
  dropZone: document.getElementById("chat-viewport"),
  progress: document.getElementById("upload-progress"),
  onSent: (chat) => append(chat, true),
  showError,
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  sendText();
});
input.addEventListener("keydown", (event) => {
  // Enter sends, Shift+Enter breaks the line; never while an IME is still composing.
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  sendText();
});
input.addEventListener("input", fitInput);
list.addEventListener(
  "scroll",
  () => {
    stuck = atBottom();
    if (stuck) pill.hidden = true;
    if (list.scrollTop < 120) loadOlder();
  },
  { passive: true },
);
// A GIF that finishes loading grows the list: keep the newest message in view.
list.addEventListener("load", () => stuck && scrollToBottom(), true);
new ResizeObserver(() => stuck && scrollToBottom()).observe(list);
pill.addEventListener("click", () => {
  scrollToBottom();
  list.focus();
});

list.querySelectorAll("li").forEach(upgrade);
scrollToBottom();

const socket = io("/chat");
let joined = false;
socket.on("connect", () => {
  socket.emit("join", root.dataset.id, (answer) => {
    if (!answer || answer.error) return leave((answer && answer.error) || t("failed"));
    if (errorBox.textContent === t("offline")) showError("");
    if (answer.owner) setOwner(answer.owner);
    participants.setMembers(answer.members);
    if (joined) catchUp();
    joined = true;
    root.dataset.joined = "true"; // for tests and tools: the live feed is on
  });
});
window.addEventListener("pagehide", () => (leaving = true)); // leaving the page is no lost connection
socket.on("disconnect", () => {
  if (!leaving) showError(t("offline"));
});
socket.on("chat", (chat) => append(chat, chat.user === me));
for (const kind of ["join", "exit", "owner", "kick"]) {
  socket.on(kind, (notice) => {
    append(notice, false);
    if (kind === "owner") setOwner(notice.who);
    participants.setMembers(notice.members);
  });
}
socket.on("kicked", (data) => {
  if (!data || !data.room || data.room === root.dataset.id) leave(t("kicked"));
});
socket.on("removeRoom", () => leave(t("roomDeleted")));
