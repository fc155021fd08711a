// What every page reads: who I am, the CSRF token, and the page's config (limits, strings).
const config = JSON.parse(document.getElementById("page-config").textContent);

/** My color, the name everyone else sees. */
export const me = document.body.dataset.me;
export const lang = config.lang;
/** Limits from the server's configuration: title, chat, gifBytes, capacity {min, max, default}. */
export const limits = config.limits;

function fill(text, vars) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (vars && name in vars ? vars[name] : match));
}

/** The string `key` in the page's language (from the server's catalogs), %(name)s filled in. */
export function t(key, vars) {
  return fill(config.strings[key] ?? key, vars);
}

/** A notice of this kind about `color` in the page's language; null for a kind it does not know. */
export function notice(kind, color) {
  const notices = config.strings.notices;
  return Object.hasOwn(notices, kind) ? fill(notices[kind], { color }) : null;
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

/** The JSON a page's template put in <script type="application/json" id="…">. */
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}
