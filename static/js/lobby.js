// The lobby: rooms appear, fill up and disappear as it happens.
(function () {
  "use strict";
  const tbody = document.querySelector("#room-list tbody");
  const empty = document.getElementById("no-rooms");

  function cell(className, text) {
    const td = document.createElement("td");
    td.className = className;
    if (text !== undefined) td.textContent = text;
    return td;
  }

  function colorName(color) {
    const span = document.createElement("span");
    span.className = "color-name";
    span.style.setProperty("--user-color", color);
    span.textContent = color;
    return span;
  }

  function row(room) {
    const tr = document.createElement("tr");
    tr.dataset.id = room._id;
    tr.append(cell("title", room.title), cell("type", room.password ? t("secret") : t("public")));
    const capacity = cell("capacity");
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = room.count || 0;
    capacity.append(count, "/" + room.max);
    const owner = cell("owner");
    owner.append(colorName(room.owner));
    const enter = cell("enter");
    const link = document.createElement("a");
    link.className = "button";
    link.href = "/room/" + encodeURIComponent(room._id);
    link.textContent = t("enter");
    enter.append(link);
    tr.append(capacity, owner, enter);
    return tr;
  }

  function find(id) {
    return Array.from(tbody.rows).find((tr) => tr.dataset.id === id);
  }

  function refreshEmpty() {
    empty.hidden = tbody.rows.length > 0;
  }

  const socket = io("/room");
  socket.on("newRoom", (room) => {
    const old = find(room._id);
    if (old) old.replaceWith(row(room));
    else tbody.append(row(room));
    refreshEmpty();
  });
  socket.on("removeRoom", (id) => {
    const tr = find(id);
    if (tr) tr.remove();
    refreshEmpty();
  });
  socket.on("occupancy", (data) => {
    const tr = find(data._id);
    if (tr) tr.querySelector(".count").textContent = data.count;
  });
  socket.on("owner", (data) => {
    const tr = find(data._id);
    if (tr) tr.querySelector(".owner").replaceChildren(colorName(data.owner));
  });
})();
