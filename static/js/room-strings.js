// What the room's own widgets read from the page (#room-config): the reactions on offer and
// their strings, from the server's catalogs like every other string.
const config = JSON.parse(document.getElementById("room-config").textContent);

/** The emoji a message can get, in the order they are offered. */
export const reactions = config.reactions;

/** The string `key` in the page's language, %(name)s filled in. */
export function rt(key, vars) {
  const text = config.strings[key] ?? key;
  return text.replace(/%\((\w+)\)s/g, (match, name) => (vars && name in vars ? vars[name] : match));
}

/** The names a mention of me may use: my color, and my display name when I have one. */
export function myNames() {
  // My color is anyone's who draws it: it mentions me only while I have no name.
  const { me, name } = document.body.dataset;
  return [name || me].filter(Boolean);
}
