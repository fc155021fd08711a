// A chat room: the live feed, sending text and GIFs, who is here; nothing lost on a reconnect.
import { createComposer } from "./composer.js";
import { failure } from "./api.js";
import { createJoinGate, watchConnection } from "./connection.js";
import { setupDeleting } from "./deleting.js";
import { createEditing } from "./editing.js";
import { setupPicker, setupViewer } from "./gifs.js";
import { createStartMarker, loadPage } from "./history.js";
import { setupJoining } from "./joining.js";
import { setupMentions } from "./mention.js";
import { createMessageList } from "./messages.js";
import { setupNameOffer } from "./nameoffer.js";
import { createOwnerControls } from "./owner.js";
import { createOutbox } from "./outbox.js";
import { lang, limits, me, pageData, t } from "./page.js";
import { createParticipants } from "./participants.js";
import { myHandle } from "./people.js";
import { setupReactions } from "./reactions.js";
import { createReplying } from "./replying.js";
import { resume } from "./retry.js";
import { rt } from "./room-strings.js";
import { setupSearch } from "./search.js";
import { setupTyping } from "./typing.js";
import { setupUnread } from "./unread.js";
import { setupUploads } from "./upload.js";
import { createWhisper } from "./whisper.js";

const root = document.getElementById("room");
const input = document.getElementById("chat");
const errorBox = document.getElementById("chat-error");
const historyUrl = root.dataset.historyUrl;
const HOLD_MS = 15000; // how long a message waits for the page to be back in its room

// A long title is cut short on a phone: a tap on it shows it whole, another folds it again.
const title = root.querySelector(".room-head h1");
title.addEventListener("click", () => title.classList.toggle("expanded"));

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

const start = createStartMarker({
  list: document.getElementById("chat-list"),
  template: document.getElementById("room-start-template"),
  pageSize: limits.historyPage,
  lang,
});
const messages = createMessageList({
  list: document.getElementById("chat-list"),
  pill: document.getElementById("new-messages"),
  olderStatus: document.getElementById("history-status"),
  gifBase: root.dataset.gifBase,
  loadPage: async (params) => start.seen(await loadPage(historyUrl, params)),
  announcer: document.getElementById("chat-announce"),
  loading: document.getElementById("chat-loading"),
});
messages.add(start.seen(pageData("chats-data")));
// Announced from now on: new messages, not the history the page opened with.
messages.speak();

const whisper = createWhisper({ input });
let present = [];
const participants = createParticipants({
  root,
  onError: showError,
  onWhisper: whisper.choose,
  onMembers(members) {
    present = members;
    whisper.setPeople(members);
    messages.renamed(); // names stick to handles: every message shows the current one
  },
});
const list = document.getElementById("chat-list");
const messageUrl = (id) => root.dataset.messageBase + encodeURIComponent(id);
// First on the box's keys: an open list of names takes arrows, Enter and Esc for itself.
setupMentions({ input, listbox: document.getElementById("mention-list"), people: () => present });
const editing = createEditing({
  list,
  input,
  bar: document.getElementById("edit-bar"),
  url: messageUrl,
  messages,
  composer: () => composer,
});
const replying = createReplying({ list, input, bar: document.getElementById("reply-bar"), whisper });
const outbox = createOutbox({
  messages,
  gifBase: root.dataset.gifBase,
  url: root.dataset.chatUrl,
  whenJoined: () => joinGate.wait(),
  rejoined(error) {
    // Posted from between two joins: join again, then send.
    if (error.code !== "not-present") return false;
    joinGate.close();
    joining.again();
    return true;
  },
  onSent: () => showError(""), // what went wrong before is over
  onHeard: heard,
  onEdit: (text) => composer.putBack(text),
});
/** What a message about to be sent looks like until the server has it: mine, now. */
function preview(body) {
  const to = present.find((person) => person.handle === body.to);
  const whisperTo = to ? { to: to.color, toHandle: to.handle, toName: to.name } : {};
  const { name } = document.body.dataset;
  const now = new Date().toISOString();
  return { user: me, handle: myHandle, name: name || null, chat: body.chat, createdAt: now, ...whisperTo, ...replying.quoted() };
}
const composer = createComposer({
  form: document.getElementById("chat-form"),
  input,
  counter: document.getElementById("chat-counter"),
  recipient: whisper.recipient,
  extra: replying.extra,
  editing,
  enqueue(body) {
    outbox.add(body, preview(body));
    replying.sent();
    whisper.sent(body);
    typing.sent();
  },
  showError,
});
const ownerControls = createOwnerControls({
  root,
  onError: showError,
  onDeleted: () => window.location.assign(root.dataset.lobbyUrl),
});
setupUploads({
  url: root.dataset.gifUrl,
  input: document.getElementById("gif"),
  dropZone: document.getElementById("chat-viewport"),
  status: document.getElementById("upload-status"),
  extra: replying.extra,
  onSent(chat) {
    messages.add([chat], true);
    replying.sent();
    showError("");
  },
  showError,
});
setupPicker({
  toggle: document.getElementById("gif-picker-toggle"),
  panel: document.getElementById("gif-picker"),
  listUrl: root.dataset.gifsUrl,
  sendUrl: root.dataset.gifUrl,
  gifBase: root.dataset.gifBase,
  extra: replying.extra,
  onSent(chat) {
    messages.add([chat], true);
    replying.sent();
  },
  showError,
});
setupSearch({
  form: document.getElementById("search-form"),
  panel: document.getElementById("search-results"),
  url: historyUrl,
  jumpTo: messages.jumpTo,
  onError: showError,
});
setupNameOffer({ form: document.getElementById("name-offer") });

/** Who is here, and who owns the room, as the server marks them. */
function setMembers(members) {
  participants.setMembers(members);
  ownerControls.update(participants.amOwner());
  root.classList.toggle("i-own", participants.amOwner()); // the owner may delete any message
}

const socket = io("/chat");
const connection = watchConnection(socket);
const joinGate = createJoinGate({ holdMs: HOLD_MS, onTimeout: () => failure(t("failed"), true) });
socket.on("disconnect", () => joinGate.close());
// Under each message: reactions, delete; GIFs open large; who is typing; unread while away.
setupReactions({ list, url: (id) => messageUrl(id) + "/reactions", socket, onError: showError });
setupDeleting({
  list,
  url: messageUrl,
  socket,
  remove(id) {
    messages.remove(id);
    replying.removed(id);
    editing.removed(id);
  },
  onError: showError,
});
socket.on("editChat", (data) => messages.edit(data));
// A quote pressed: the original, shown and marked, older pages loaded to reach it if need be.
list.addEventListener("click", async (event) => {
  const quote = event.target.closest("button.reply-quote");
  if (quote && !(await messages.jumpTo(quote.dataset.replyTo))) showError(rt("originalGone"));
});
setupViewer({ list, dialog: document.getElementById("gif-viewer") });
const typing = setupTyping({ socket, input, indicator: document.getElementById("typing") });
const unread = setupUnread({
  toggle: document.getElementById("notify-toggle"),
  showError,
  list,
  roomId: root.dataset.id,
  messages,
});

/** Leave for the lobby after saying why (kicked, or the room is gone). */
function leave(message) {
  socket.disconnect();
  showError(message);
  composer.disable();
  setTimeout(() => window.location.assign(root.dataset.lobbyUrl), 2000);
}

const joining = setupJoining({
  socket,
  roomId: root.dataset.id,
  historyUrl,
  messages,
  onMembers: setMembers,
  onWait: showError,
  onRefused: leave,
  onBack() {
    connection.back();
    showError(""); // an outage's errors are over once the page is back
    joinGate.open(); // what was typed meanwhile goes now, after the replay
    outbox.resume(); // and what failed for want of a connection, in order
    resume(); // GIFs and edits too
    root.dataset.joined = "true"; // for tests and tools: the live feed is on
  },
});
/** A message heard live: drawn once, counted while away. */
function heard(chat) {
  if (messages.add([chat], chat.handle === myHandle)) unread.arrived(chat);
  typing.heard(chat);
}
socket.on("chat", (chat) => {
  // Mine while a post is on its way: drawn when it lands, in place of its pending copy.
  if (chat && chat.handle === myHandle && outbox.holds(chat)) return;
  heard(chat);
});
for (const kind of ["join", "exit", "owner", "kick"]) {
  socket.on(kind, (notice) => {
    messages.add([notice]);
    if (kind === "exit" || kind === "kick") typing.heard({ user: notice.who }); // gone, not typing
    setMembers(notice.members);
  });
}
socket.on("name", (data) => setMembers(data && data.members));
socket.on("members", (data) => setMembers(data && data.members)); // a join or exit told quietly
socket.on("kicked", (data) => {
  if (!data || !data.room || data.room === root.dataset.id) leave(t("kicked"));
});
socket.on("removeRoom", () => leave(t("roomDeleted")));
