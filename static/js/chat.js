// A chat room: live messages, sending text and GIFs, older history on scroll.
(function () {
  "use strict";
  const root = document.getElementById("room");
  const roomId = root.dataset.id;
  const me = document.body.dataset.me;
  const list = document.getElementById("chat-list");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat");
  const fileInput = document.getElementById("gif");
  const errorBox = document.getElementById("chat-error");
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });
  let oldestLoaded = false;
  let loadingOlder = false;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function systemText(chat) {
    if (chat.kind && chat.who && t(chat.kind) !== chat.kind) return t(chat.kind, { color: chat.who });
    return chat.chat;
  }

  function render(chat) {
    const li = document.createElement("li");
    li.dataset.id = chat._id || "";
    if (chat.user === "system") {
      li.className = "system";
      li.textContent = systemText(chat);
      return li;
    }
    li.className = "message " + (chat.user === me ? "mine" : "other");
    li.style.setProperty("--user-color", chat.user);
    const name = document.createElement("span");
    name.className = "color-name";
    name.textContent = chat.user;
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    if (chat.gif) {
      const img = document.createElement("img");
      img.src = root.dataset.gifBase + encodeURIComponent(chat.gif);
      img.alt = t("gifFrom", { color: chat.user });
      bubble.append(img);
    } else {
      const p = document.createElement("p");
      p.className = "text";
      p.textContent = chat.chat;
      bubble.append(p);
    }
    const time = document.createElement("time");
    time.dateTime = chat.createdAt;
    li.append(name, bubble, time);
    formatTime(time);
    return li;
  }

  function formatTime(time) {
    const moment = new Date(time.dateTime);
    if (!isNaN(moment)) time.textContent = timeFormat.format(moment);
  }

  function known(id) {
    return id && list.querySelector('li[data-id="' + CSS.escape(id) + '"]');
  }

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function append(chat) {
    if (known(chat._id)) return;
    const stick = atBottom();
    list.append(render(chat));
    if (stick) list.scrollTop = list.scrollHeight;
  }

  async function loadOlder() {
    if (oldestLoaded || loadingOlder) return;
    const first = list.querySelector("li[data-id]:not([data-id=''])");
    if (!first) return;
    loadingOlder = true;
    try {
      const url = root.dataset.historyUrl + "?before=" + encodeURIComponent(first.dataset.id);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const page = (await response.json()).chats;
      if (page.length === 0) oldestLoaded = true;
      const before = list.scrollHeight;
      for (const chat of page) if (!known(chat._id)) list.prepend(render(chat));
      list.scrollTop += list.scrollHeight - before;
    } finally {
      loadingOlder = false;
    }
  }

  async function send(url, body, headers) {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), ...headers },
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || t("failed"));
    return data;
  }

  async function sendText() {
    const text = input.value.trim();
    if (!text) return;
    try {
      append(await send(root.dataset.chatUrl, JSON.stringify({ chat: text }), {
        "Content-Type": "application/json",
      }));
      input.value = "";
      showError("");
      list.scrollTop = list.scrollHeight;
    } catch (error) {
      showError(error.message);
    }
  }

  async function sendGif(file) {
    const body = new FormData();
    body.append("gif", file);
    showError("");
    try {
      append(await send(root.dataset.gifUrl, body, {}));
      list.scrollTop = list.scrollHeight;
    } catch (error) {
      showError(error.message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendText();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText();
    }
  });
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) sendGif(fileInput.files[0]);
    fileInput.value = "";
  });
  list.addEventListener("scroll", () => {
    if (list.scrollTop < 80) loadOlder();
  });

  const deleteButton = document.getElementById("delete-room");
  if (deleteButton) {
    deleteButton.addEventListener("click", async () => {
      if (!window.confirm(t("confirmDelete"))) return;
      const response = await fetch(root.dataset.deleteUrl, {
        method: "DELETE",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      if (response.ok) window.location.assign(root.dataset.lobbyUrl);
      else showError((await response.json().catch(() => ({}))).error || t("failed"));
    });
  }

  list.querySelectorAll("time").forEach(formatTime);
  list.querySelectorAll("li.system").forEach((li) => {
    if (li.dataset.kind && li.dataset.who) {
      li.textContent = systemText({ kind: li.dataset.kind, who: li.dataset.who, chat: li.textContent });
    }
  });
  list.scrollTop = list.scrollHeight;

  const socket = io("/chat");
  socket.on("connect", () => {
    socket.emit("join", roomId, (answer) => {
      if (answer && answer.error) {
        showError(answer.error);
        socket.disconnect();
      }
    });
  });
  socket.on("chat", append);
  socket.on("join", append);
  socket.on("exit", append);
  socket.on("removeRoom", () => {
    showError(t("roomDeleted"));
    socket.disconnect();
    setTimeout(() => window.location.assign(root.dataset.lobbyUrl), 1500);
  });
})();
