// People as pages show them: a name beside the color's dot, the owner's mark from the server,
// and a short form of the handle when two in the room would otherwise look the same. Names
// stick to handles: a message sent before a rename shows the name its sender has now.
import { colorName } from "./colors.js";
import { me, t } from "./page.js";

/** My public handle: what the server tells me apart by (colors and names may be shared). */
export const myHandle = document.body.dataset.handle;

let present = []; // the room's members, as the last join ack, notice or rename gave them
const current = new Map(); // handle → {name, color, from}: the newest name known, and where from

/** Remember who is in the room, so lookalikes can be told apart and names kept current. */
export function setPresent(members) {
  present = Array.isArray(members) ? members : [];
  for (const person of present) {
    if (person.handle) current.set(person.handle, { name: person.name || null, color: person.color, from: "members" });
  }
}

/** A name a message carried: kept unless the members list, or a newer message, said otherwise. */
export function heardName(handle, name, color, id) {
  const known = current.get(handle);
  if (!handle || (known && (known.from === "members" || known.from > id))) return;
  current.set(handle, { name: name || null, color, from: id });
}

/** The person with the name (and color) they have now, where the page knows it. */
export function now(person) {
  const known = person.handle && current.get(person.handle);
  return known ? { ...person, name: known.name, color: person.color || known.color } : person;
}

/** "Alice (#123456)", or "#123456" for someone without a name: how a sentence names someone. */
export function label(person) {
  const { name, color } = now(person);
  return name ? name + " (" + color + ")" : color;
}

// Hue ranges (degrees, upper bounds) and the word a screen reader hears for each.
const HUES = [
  [15, "red"], [45, "orange"], [70, "yellow"], [160, "green"], [200, "teal"],
  [255, "blue"], [290, "purple"], [335, "pink"], [360, "red"],
];

/** A short word for a "#rrggbb" color ("blue"), in the page's language. */
export function colorWord(color) {
  const match = /^#([0-9a-f]{6})$/i.exec(String(color));
  if (!match) return t("colorGrey");
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(match[1].slice(i, i + 2), 16) / 255);
  const [max, min] = [Math.max(r, g, b), Math.min(r, g, b)];
  if (max - min < 0.12) return t(max > 0.85 ? "colorWhite" : max < 0.2 ? "colorBlack" : "colorGrey");
  let hue = max === r ? ((g - b) / (max - min)) % 6 : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
  hue = (hue * 60 + 360) % 360;
  const word = HUES.find(([upTo]) => hue < upTo)[1];
  return t("color" + word[0].toUpperCase() + word.slice(1));
}

/** What a screen reader hears for a person: their name, or "Guest" and a color word. */
export function spoken(person, others = present) {
  const { name, color } = now(person);
  if (!name) return t("guest", { color: colorWord(color) });
  return hasTwin(person, others) ? name + ", " + colorWord(color) : name;
}

/** How an option or a placeholder names someone, where only plain text fits: spoken() and,
 *  for a twin, the short handle. */
export function plainLabel(person, others = present) {
  return spoken(person, others) + (hasTwin(person, others) ? " · " + shortHandle(person.handle) : "");
}

/** A sentence in two voices: `seen` (which may name a color's code) hidden from screen
 *  readers, `heard` (a name or a color word) hidden from the eye. */
export function twoVoices(seen, heard) {
  const shown = document.createElement("span");
  shown.className = "seen";
  shown.setAttribute("aria-hidden", "true");
  shown.textContent = seen;
  const said = document.createElement("span");
  said.className = "visually-hidden";
  said.textContent = heard;
  return [shown, said];
}

/** The first characters of a handle: enough to tell two lookalikes in one room apart. */
export function shortHandle(handle) {
  return String(handle || "").slice(0, 4);
}

/** Whether someone else present looks the same: the same name, or no name and the same color,
 *  or (as the server marks it) a name that looks like theirs. */
export function hasTwin(person, others = present) {
  if (!person.handle) return false;
  // The server marks a name that looks like another present (one chosen elsewhere, too).
  if (others.some((other) => other.handle === person.handle && other.lookalike)) return true;
  const me = now(person);
  return others.some((other) => {
    if (other.handle === me.handle) return false;
    const them = now(other);
    if (me.name || them.name) return (them.name || "") === (me.name || "");
    return them.color === me.color;
  });
}

/** How a menu names someone: their label, and their short handle when they have a twin. */
export function menuLabel(person, others = present) {
  return label(person) + (hasTwin(person, others) ? " · " + shortHandle(person.handle) : "");
}

/** A person's name: the dot and name in their color, the color's code beside a chosen name,
 *  the owner's mark when the server gave it, and the short handle when they have a twin.
 *  Screen readers hear spoken() instead of codes and digits. */
export function personName(person, { owner = false, others = present } = {}) {
  const wrap = document.createElement("span");
  wrap.className = "person";
  if (person.handle) wrap.dataset.handle = person.handle;
  const { name: chosen, color } = now(person);
  const seen = document.createElement("span");
  seen.className = "seen";
  seen.setAttribute("aria-hidden", "true");
  const name = colorName(color);
  if (chosen) {
    name.textContent = chosen;
    name.dir = "auto"; // an isolate: a right-to-left name cannot reorder the code beside it
    const code = document.createElement("span");
    code.className = "color-code";
    code.textContent = color;
    seen.append(name, " ", code);
  } else {
    seen.append(name);
  }
  if (hasTwin(person, others)) {
    const tag = document.createElement("span");
    tag.className = "handle-tag";
    tag.textContent = shortHandle(person.handle);
    seen.append(" ", tag);
  }
  const heard = document.createElement("span");
  heard.className = "visually-hidden";
  heard.textContent = spoken(person, others);
  wrap.append(seen, heard);
  if (owner) {
    const badge = document.createElement("span");
    badge.className = "owner-badge";
    badge.textContent = t("ownerBadge");
    wrap.append(" ", badge);
  }
  return wrap;
}

/** The header's "You are …": seen as my name (or my color's code), heard as spoken() says it. */
export function showMyName(name) {
  const seen = document.getElementById("my-name");
  if (!seen) return;
  seen.textContent = name || me;
  document.getElementById("my-color").hidden = !name;
  document.getElementById("my-name-heard").textContent = spoken({ color: me, name: name || null }, []);
}

showMyName(document.body.dataset.name); // the server can say "Guest", but not the color's word
