// Color names stay readable in either theme: the exact color for a swatch, a bubble tint
// near the page's background, and an "ink" of the same hue for text (darkened on the light
// page, lightened on the dark one), with at least 4.5:1 contrast (WCAG AA) on both.
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
// Per theme, from main.css: what a tint is mixed toward, the text on a tint (--fg), and the
// background a name sits on that is nearest the ink's own lightness (hovered rows, --soft).
const THEMES = {
  light: { base: WHITE, baseShare: 0.86, text: [29, 29, 31], page: [238, 240, 243], ink: BLACK },
  dark: { base: [28, 31, 36], baseShare: 0.78, text: [230, 232, 235], page: [44, 49, 56], ink: WHITE },
};
const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

/** The theme the page shows now: the visitor's choice on <html data-theme>, else the system's. */
export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return systemDark.matches ? "dark" : "light";
}

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

/** Move `rgb` toward `target` until it has 4.6:1 against `against` (or is `target`). */
function toContrast(rgb, target, against) {
  let result = rgb;
  for (let share = 0.05; contrast(result, against) < 4.6 && share <= 1; share += 0.05) {
    result = mix(rgb, target, share);
  }
  return result;
}

const cache = new Map();

/** {color, ink, tint} for a "#rrggbb" color in a theme (the current one), or null. */
export function palette(color, theme = currentTheme()) {
  const key = theme + color;
  if (cache.has(key)) return cache.get(key);
  const rgb = parse(color);
  const scheme = THEMES[theme] || THEMES.light;
  let result = null;
  if (rgb) {
    // The bubble's text (--fg) stays readable on the tint, however bright the color.
    const tint = toContrast(mix(rgb, scheme.base, scheme.baseShare), scheme.base, scheme.text);
    // The ink must read on the tint and on the page, whichever is nearer its own lightness.
    const nearest = theme === "dark" ? Math.max : Math.min;
    const backing = nearest(luminance(tint), luminance(scheme.page)) === luminance(tint) ? tint : scheme.page;
    const ink = toContrast(rgb, scheme.ink, backing);
    result = { color: hex(rgb), ink: hex(ink), tint: hex(tint) };
  }
  cache.set(key, result);
  return result;
}

/** Give an element the custom properties its CSS colors itself with, for the current theme. */
export function paint(element, color) {
  const colors = palette(color);
  if (!colors) return element;
  element.dataset.painted = color; // repainted when the theme changes
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

/** After a change of theme (the switch, or the system's): every color again, for its page. */
function repaint() {
  document.querySelectorAll("[data-painted]").forEach((element) => {
    paint(element, element.dataset.painted);
  });
}
new MutationObserver(repaint).observe(document.documentElement, { attributeFilter: ["data-theme"] });
systemDark.addEventListener("change", repaint);
