// The lobby: rooms appear, fill up, empty (counting down to when they close), change hands and
// disappear as it happens; after a lost connection it reads the whole list again.
import { read } from "./api.js";
import { watchConnection } from "./connection.js";
import { pageData, t } from "./page.js";
import { personName } from "./people.js";

const tbody = document.querySelector("#room-list tbody");
const empty = document.getElementById("no-rooms");

function cell(className, label, text) {
  const td = document.createElement("td");
  td.className = className;
  if (label) td.dataset.label = label; // the narrow layout shows each row as a labelled card
  if (text !== undefined) td.textContent = text;
  return td;
}

/** The one way a room becomes a row, from the page's data, an event or GET /rooms. */
function row(room) {
  const tr = document.createElement("tr");
  tr.dataset.id = room._id;
  tr.dataset.max = room.max;
  const title = cell("title", "", room.title);
  tr.dataset.title = room.title;
  const type = cell("type", t("type"), room.password ? t("secret") : t("public"));
  if (room.password) tr.classList.add("secret");
  const capacity = cell("capacity", t("capacity"));
  const count = document.createElement("span");
  count.className = "count";
  const closing = document.createElement("span");
  closing.className = "closing"; // an empty room's countdown, beside its count of people
  closing.hidden = true;
  capacity.append(count, "/" + room.max, closing);
  const owner = cell("owner", t("ownerLabel"));
  owner.append(personName({ color: room.owner, name: room.ownerName }));
  const enter = cell("enter");
  const link = document.createElement("a");
  link.className = "button";
  link.dataset.href = "/room/" + encodeURIComponent(room._id);
  enter.append(link);
  tr.append(title, type, capacity, owner, enter);
  // Only this visitor's own list (the page, GET /rooms) says so; broadcasts never do.
  if (room.closed) tr.dataset.closed = "true";
  setClosing(tr, room.closesAt);
  setCount(tr, room.count || 0);
  return tr;
}

/**
 * The Enter link as this visitor may use it: a live link, or, in a room that is full or
 * closed to them, a link without an address (not followed, not focused) saying why.
 */
function showEnter(tr) {
  const link = tr.querySelector(".enter a");
  const why = tr.dataset.closed ? "closed" : tr.classList.contains("full") ? "full" : null;
  link.textContent = why === "closed" ? t("closedToYou") : why === "full" ? t("full") : t("enter");
  // Every row's link says which room it is for: a list of "Enter, Enter, Enter" says nothing.
  const named = why === "closed" ? "closedRoom" : why === "full" ? "fullRoom" : "enterRoom";
  link.setAttribute("aria-label", t(named, { title: tr.dataset.title }));
  if (why) {
    link.removeAttribute("href");
    link.setAttribute("role", "link"); // without an address, still a link (a disabled one)
    link.setAttribute("aria-disabled", "true");
    link.title = why === "closed" ? t("roomClosed") : t("roomFull");
  } else {
    link.href = link.dataset.href;
    link.removeAttribute("role");
    link.removeAttribute("aria-disabled");
    link.removeAttribute("title");
  }
  tr.classList.toggle("closed", why === "closed");
}

function setCount(tr, count) {
  tr.querySelector(".count").textContent = count;
  tr.classList.toggle("full", count >= Number(tr.dataset.max));
  showEnter(tr);
}

// Server time minus this page's clock, from GET /rooms: a phone whose clock is off still counts
// down to the server's closesAt.
let skew = 0;
let ticking = null;

/** An empty room's countdown to closesAt (an ISO time, or null: someone is in the room). */
function setClosing(tr, closesAt) {
  const due = closesAt ? Date.parse(closesAt) : NaN;
  if (Number.isNaN(due)) delete tr.dataset.closesAt;
  else tr.dataset.closesAt = String(due);
  showClosing(tr);
}

/** "4:12", or "1:02:03" past an hour. */
function clock(seconds) {
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const two = (n) => String(n).padStart(2, "0");
  return h ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
}

function showClosing(tr) {
  const closing = tr.querySelector(".closing");
  const due = Number(tr.dataset.closesAt);
  closing.hidden = !tr.dataset.closesAt;
  if (closing.hidden) {
    closing.textContent = "";
    return;
  }
  const left = Math.ceil((due - (Date.now() + skew)) / 1000);
  const text = left > 0 ? t("closesIn", { time: clock(left) }) : t("closingNow");
  if (closing.textContent !== text) closing.textContent = text;
}

/** Once a second while any room is counting down; not at all otherwise. */
function tick() {
  const counting = () => tbody.querySelectorAll("tr[data-closes-at]");
  if (ticking === null && counting().length) {
    ticking = setInterval(() => {
      const rows = counting();
      rows.forEach(showClosing);
      if (!rows.length) {
        clearInterval(ticking);
        ticking = null;
      }
    }, 1000);
  }
}

function find(id) {
  return Array.from(tbody.rows).find((tr) => tr.dataset.id === id);
}

function drawAll(rooms) {
  tbody.replaceChildren(...rooms.map(row));
  empty.hidden = rooms.length > 0;
  tick();
}

// Each event carries the whole new state of what it changes, so applying it twice is harmless.
const handlers = {
  newRoom(room) {
    const old = find(room._id);
    if (old) old.replaceWith(row({ ...room, closed: Boolean(old.dataset.closed) }));
    else tbody.append(row(room));
    empty.hidden = true;
    tick();
  },
  removeRoom(id) {
    find(id)?.remove();
    empty.hidden = tbody.rows.length > 0;
  },
  occupancy(data) {
    const tr = find(data._id);
    if (!tr) return;
    if ("closesAt" in data) setClosing(tr, data.closesAt);
    setCount(tr, data.count);
    tick();
  },
  owner(data) {
    const owner = personName({ color: data.owner, name: data.ownerName });
    find(data._id)?.querySelector(".owner").replaceChildren(owner);
  },
};

let heard = null; // events heard while the list is being read again, to apply on top of it

/** Read the list again (once connected), keeping what happened meanwhile. */
async function reread() {
  heard = [];
  try {
    const { rooms, now } = await read("/rooms");
    const serverNow = Date.parse(now);
    if (!Number.isNaN(serverNow)) skew = serverNow - Date.now();
    drawAll(rooms || []);
    for (const [name, data] of heard) handlers[name](data);
  } catch {
    // the live events still arrive; the next reconnect reads again
  } finally {
    heard = null;
  }
}

drawAll(pageData("rooms-data"));

const socket = io("/room");
const connection = watchConnection(socket);
// On every connect, the first included: what changed between the page and its socket (a room
// removed meanwhile, say) would otherwise never arrive.
socket.on("connect", async () => {
  await reread();
  connection.back();
});
for (const [name, handle] of Object.entries(handlers)) {
  socket.on(name, (data) => {
    heard?.push([name, data]);
    handle(data);
  });
}
