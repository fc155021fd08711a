// The lobby: rooms appear, fill up, change hands and disappear as it happens.
import { colorName } from "./colors.js";
import { t } from "./strings.js";

const table = document.getElementById("room-list");
const tbody = table.querySelector("tbody");
const empty = document.getElementById("no-rooms");
// Column names for the narrow layout, where each row is a card with its own labels.
const labels = Array.from(table.tHead.rows[0].cells, (th) => th.textContent.trim());

function cell(className, label, text) {
  const td = document.createElement("td");
  td.className = className;
  if (label) td.dataset.label = label;
  if (text !== undefined) td.textContent = text;
  return td;
}

function row(room) {
  const tr = document.createElement("tr");
  tr.dataset.id = room._id;
  tr.dataset.max = room.max;
  const title = cell("title", "", room.title);
  title.id = "title-" + room._id;
  const type = cell("type", labels[1], room.password ? t("secret") : t("public"));
  if (room.password) tr.classList.add("secret");
  const capacity = cell("capacity", labels[2]);
  const count = document.createElement("span");
  count.className = "count";
  count.textContent = room.count || 0;
  capacity.append(count, "/" + room.max);
  const owner = cell("owner", labels[3]);
  owner.append(colorName(room.owner));
  const enter = cell("enter");
  const link = document.createElement("a");
  link.className = "button";
  link.href = "/room/" + encodeURIComponent(room._id);
  link.textContent = t("enter");
  link.setAttribute("aria-describedby", title.id);
  enter.append(link);
  tr.append(title, type, capacity, owner, enter);
  markFull(tr);
  return tr;
}

function markFull(tr) {
  const count = Number(tr.querySelector(".count").textContent);
  tr.classList.toggle("full", count >= Number(tr.dataset.max));
}

function find(id) {
  return Array.from(tbody.rows).find((tr) => tr.dataset.id === id);
}

function refreshEmpty() {
  empty.hidden = tbody.rows.length > 0;
}

Array.from(tbody.rows).forEach(markFull);

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
  if (!tr) return;
  tr.querySelector(".count").textContent = data.count;
  markFull(tr);
});
socket.on("owner", (data) => {
  const tr = find(data._id);
  if (tr) tr.querySelector(".owner").replaceChildren(colorName(data.owner));
});
