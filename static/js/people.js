// People as pages show them: a name beside the color's dot, the owner's mark from the server,
// and a short form of the handle when two in the room would otherwise look the same.
import { colorName } from "./colors.js";
import { t } from "./page.js";

/** My public handle: what the server tells me apart by (colors and names may be shared). */
export const myHandle = document.body.dataset.handle;

let present = []; // the room's members, as the last join ack, notice or rename gave them

/** Remember who is in the room, so lookalikes can be told apart. */
export function setPresent(members) {
  present = Array.isArray(members) ? members : [];
}

/** "Alice (#123456)", or "#123456" for someone without a name: how a sentence names someone. */
export function label(person) {
  return person.name ? person.name + " (" + person.color + ")" : person.color;
}

/** The first characters of a handle: enough to tell two lookalikes in one room apart. */
export function shortHandle(handle) {
  return String(handle || "").slice(0, 4);
}

/** Whether someone else present has the same color and name as this person, or (as the
 *  server marks it) a name that looks like theirs. */
export function hasTwin(person, others = present) {
  if (!person.handle) return false;
  if (others.some((other) => other.handle === person.handle && other.lookalike)) return true;
  return others.some(
    (other) =>
      other.handle !== person.handle &&
      other.color === person.color &&
      (other.name || "") === (person.name || ""),
  );
}

/** How a menu names someone: their label, and their short handle when they have a twin. */
export function menuLabel(person, others = present) {
  return label(person) + (hasTwin(person, others) ? " · " + shortHandle(person.handle) : "");
}

/** A person's name: the dot and name in their color, the color's code beside a chosen name,
 *  the owner's mark when the server gave it, and the short handle when they have a twin. */
export function personName(person, { owner = false, others = present } = {}) {
  const wrap = document.createElement("span");
  wrap.className = "person";
  const name = colorName(person.color);
  if (person.name) {
    name.textContent = person.name;
    name.dir = "auto"; // an isolate: a right-to-left name cannot reorder the code beside it
    const code = document.createElement("span");
    code.className = "color-code";
    code.textContent = person.color;
    wrap.append(name, " ", code);
  } else {
    wrap.append(name);
  }
  if (hasTwin(person, others)) {
    const tag = document.createElement("span");
    tag.className = "handle-tag";
    tag.textContent = shortHandle(person.handle);
    wrap.append(" ", tag);
  }
  if (owner) {
    const badge = document.createElement("span");
    badge.className = "owner-badge";
    badge.textContent = t("ownerBadge");
    wrap.append(" ", badge);
  }
  return wrap;
}
