// Who is in the room: the participants panel, the whisper recipient menu and the owner's kicks.
import { send } from "./api.js";
import { colorName } from "./colors.js";
import { me, t } from "./page.js";


export function createParticipants({ root, input, onError, onRecipient }) {
  const list = document.getElementById("participant-list");
  const count = document.getElementById("participant-count");
  const select = document.getElementById("whisper-to");
  let members = [me];

  function owner() {
    return root.dataset.owner;
  }

  function button(className, color, text, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.dataset.color = color;
    b.textContent = text;
    b.setAttribute("aria-label", label);
    return b;
  }

  function item(color) {
    const li = document.createElement("li");
    li.dataset.color = color;
    const who = document.createElement("span");
    who.className = "who";
    who.append(colorName(color));
    if (color === me) {
      li.classList.add("me");
      const you = document.createElement("span");
      you.className = "tag";
      you.textContent = "(" + t("you") + ")";
      who.append(" ", you);
    }
    if (color === owner()) {
      li.classList.add("owner");
      const badge = document.createElement("span");
      badge.className = "owner-badge";
      badge.textContent = t("ownerBadge");
      who.append(" ", badge);
    }
    li.append(who);
    if (color !== me) {
      const actions = document.createElement("span");
      actions.className = "actions";
      actions.append(button("whisper", color, t("whisper"), t("whisperLabel", { color })));
      if (owner() === me) {
        actions.append(button("kick danger", color, t("kickButton"), t("kickLabel", { color })));
      }
      li.append(actions);
    }
    return li;
  }

  function syncSelect() {
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const color of members) {
      if (color !== me) select.add(new Option(color, color));
    }
    select.value = members.includes(chosen) && chosen !== me ? chosen : "";
    chose();
  }

  function chose() {
    select.classList.toggle("active", select.value !== "");
    onRecipient(select.value);
  }

  function draw() {
    // Keep keyboard focus on the same control (or its neighbour) when the list is redrawn.
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const kind = focused && focused.dataset.color ? "button." + focused.classList[0] : null;
    const index = focused ? Array.from(list.children).indexOf(focused.closest("li")) : -1;
    list.replaceChildren(...members.map(item));
    count.textContent = String(members.length);
    syncSelect();
    if (!kind) return;
    const same = list.querySelector(kind + '[data-color="' + CSS.escape(focused.dataset.color) + '"]');
    const buttons = Array.from(list.querySelectorAll(kind));
    const neighbour = buttons.find((b) => Array.from(list.children).indexOf(b.closest("li")) >= index);
    (same || neighbour || buttons.at(-1) || list.closest("details").querySelector("summary")).focus();
  }

  async function kick(target) {
    if (target.getAttribute("aria-disabled")) return;
    target.setAttribute("aria-disabled", "true"); // not disabled: that would drop keyboard focus
    try {
      await send("POST", root.dataset.kickUrl, { user: target.dataset.color });
    } catch (error) {
      onError(error.message);
    } finally {
      target.removeAttribute("aria-disabled");
    }
  }

  list.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-color]");
    if (!target) return;
    if (target.classList.contains("kick")) {
      kick(target);
    } else {
      select.value = target.dataset.color;
      chose();
      input.focus();
    }
  });
  select.addEventListener("change", chose);

  draw();
  return {
    /** The colors present, longest present first (from the join ack or a notice). */
    setMembers(colors) {
      if (!Array.isArray(colors)) return;
      members = colors.includes(me) ? colors.slice() : [...colors, me];
      draw();
    },
    setOwner(color) {
      if (!color || color === owner()) return;
      root.dataset.owner = color;
      draw();
    },
    recipient() {
      return select.value;
    },
  };
}
