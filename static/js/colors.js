// Color names stay readable: the exact color for a swatch and a light bubble tint, and a
// darkened "ink" of the same hue for text, with at least 4.5:1 contrast (WCAG AA) on both.
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
const PAGE = [238, 240, 243]; // the darkest background a name sits on (hovered rows)

function parse(color) {
  const match = /^#([0-9a-f]{6})$/i.exec(String(color).trim());
  if (!match) return null;
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function linear(channel) {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance([r, g, b]) {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function mix(a, b, share) {
  return a.map((v, i) => Math.round(v * (1 - share) + b[i] * share));
}

function hex(rgb) {
  return "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
}

const cache = new Map();

/** {color, ink, tint} for a "#rrggbb" color, or null for anything else. */
export function palette(color) {
  if (cache.has(color)) return cache.get(color);
  const rgb = parse(color);
  let result = null;
  if (rgb) {
    const tint = mix(rgb, WHITE, 0.86);
    const darkest = luminance(tint) < luminance(PAGE) ? tint : PAGE;
    let ink = rgb;
    for (let share = 0.05; contrast(ink, darkest) < 4.6 && share <= 1; share += 0.05) {
      ink = mix(rgb, BLACK, share);
    }
    result = { color: hex(rgb), ink: hex(ink), tint: hex(tint) };
  }
  cache.set(color, result);
  return result;
}

/** Give an element the custom properties its CSS colors itself with. */
export function paint(element, color) {
  const colors = palette(color);
  if (!colors) return element;
  element.style.setProperty("--user-color", colors.color);
  element.style.setProperty("--user-ink", colors.ink);
  element.style.setProperty("--user-tint", colors.tint);
  return element;
}

/** A color's name: a swatch in the exact color (CSS) beside the name in its ink. */
export function colorName(color) {
  const span = document.createElement("span");
  span.className = "color-name";
  span.textContent = color;
  return paint(span, color);
}

/** Paint every server-rendered element that names its color in data-user-color. */
export function paintAll(root = document) {
  root.querySelectorAll("[data-user-color]").forEach((element) => {
    paint(element, element.dataset.userColor);
  });
}

paintAll();
