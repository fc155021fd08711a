// Who is in the room: the participants panel and the owner's kicks, everyone by handle.
import { send } from "./api.js";
import { me, t } from "./page.js";
import { label, myHandle, personName, setPresent, showMyName, spoken } from "./people.js";

const CONFIRM_MS = 5000; // an unconfirmed "Remove?" turns back on its own

export function createParticipants({ root, onError, onWhisper, onMembers }) {
  const list = document.getElementById("participant-list");
  const count = document.getElementById("participant-count");
  // Before the join ack: just me, as the page knows me.
  let members = [{ handle: myHandle, color: me, name: null, owner: false }];

  function amOwner() {
    return members.some((person) => person.owner && person.handle === myHandle);
  }

  function button(className, person, text, aria) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.dataset.handle = person.handle;
    b.dataset.color = person.color;
    b.textContent = text;
    b.setAttribute("aria-label", aria);
    return b;
  }

  function item(person) {
    const li = document.createElement("li");
    li.dataset.handle = person.handle;
    li.dataset.color = person.color;
    const who = document.createElement("span");
    who.className = "who";
    who.append(personName(person, { owner: person.owner, others: members }));
    if (person.handle === myHandle) {
      li.classList.add("me");
      const you = document.createElement("span");
      you.className = "tag";
      you.textContent = "(" + t("you") + ")";
      who.append(" ", you);
    }
    if (person.owner) li.classList.add("owner");
    li.append(who);
    if (person.handle !== myHandle) {
      const actions = document.createElement("span");
      actions.className = "actions";
      const name = label(person);
      const heard = spoken(person, members); // a name or a color word, never a color's code
      actions.append(button("whisper", person, t("whisper"), t("whisperTo", { color: heard })));
      if (amOwner()) {
        const asking = confirming === person.handle;
        const text = asking ? t("confirmKick", { color: name }) : t("kickButton");
        const aria = t(asking ? "confirmKick" : "kickLabel", { color: heard });
        const kickButton = button("kick danger", person, text, aria);
        if (asking) kickButton.dataset.confirm = "true";
        actions.append(kickButton);
      }
      li.append(actions);
    }
    return li;
  }

  function draw() {
    // Keep keyboard focus on the same control (or its neighbour) when the list is redrawn.
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const kind = focused && focused.dataset.handle ? "button." + focused.classList[0] : null;
    const index = focused ? Array.from(list.children).indexOf(focused.closest("li")) : -1;
    setPresent(members);
    list.replaceChildren(...members.map(item));
    count.textContent = String(members.length);
    onMembers(members);
    if (!kind) return;
    const same = list.querySelector(kind + '[data-handle="' + CSS.escape(focused.dataset.handle) + '"]');
    const buttons = Array.from(list.querySelectorAll(kind));
    const neighbour = buttons.find((b) => Array.from(list.children).indexOf(b.closest("li")) >= index);
    (same || neighbour || buttons.at(-1) || list.closest("details").querySelector("summary")).focus();
  }

  // Remove asks once more, naming the person; Esc, a few seconds or a redraw without them
  // takes the question back.
  let confirming = null; // the handle whose Remove is asking "really?"
  let timer = null;

  function ask(handle) {
    confirming = handle;
    clearTimeout(timer);
    timer = setTimeout(() => cancel(), CONFIRM_MS);
    draw();
  }

  function cancel() {
    clearTimeout(timer);
    if (confirming === null) return;
    confirming = null;
    draw();
  }

  async function kick(target) {
    if (target.getAttribute("aria-disabled")) return;
    target.setAttribute("aria-disabled", "true"); // not disabled: that would drop keyboard focus
    try {
      await send("POST", root.dataset.kickUrl, { user: target.dataset.handle });
    } catch (error) {
      onError(error.message);
      draw(); // back to a plain Remove
    } finally {
      target.removeAttribute("aria-disabled");
    }
  }

  list.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-handle]");
    if (!target) return;
    if (!target.classList.contains("kick")) return onWhisper(target.dataset.handle);
    if (confirming !== target.dataset.handle) return ask(target.dataset.handle);
    confirming = null;
    clearTimeout(timer);
    kick(target);
  });
  list.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && confirming !== null) {
      event.stopPropagation(); // Esc takes back the question, not the whisper or anything else
      cancel();
    }
  });

  draw();
  return {
    /** Who is present, the owner first, in the server's order: {handle, color, name, owner}. */
    setMembers(people) {
      if (!Array.isArray(people)) return;
      members = people.slice();
      const mine = members.find((person) => person.handle === myHandle);
      if (mine) {
        showMyName(mine.name); // a rename in another tab, too
      } else {
        members.push({ handle: myHandle, color: me, name: null, owner: false });
      }
      root.dataset.owner = members.find((person) => person.owner)?.color || root.dataset.owner;
      draw();
    },
    /** Whether the server marks me as the owner. */
    amOwner,
  };
}
