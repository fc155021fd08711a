// "@" in the box lists the people present, filtered as one types; arrows and Enter (or Tab),
// or a tap, put the chosen name in. A combobox with aria-activedescendant: the focus stays in
// the box while a screen reader hears the option the arrows are on.
import { menuLabel, myHandle, now, spoken } from "./people.js";

const TYPED = /(^|[\s(["'“‘])@([^\s@]*)$/u; // an "@" starting a word, up to the caret

export function setupMentions({ input, listbox, people }) {
  let options = []; // the people offered, in order
  let active = -1;
  let typed = null; // {start, query}: where the "@" is and what follows it

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");

  /** What a mention of this person says: their name, or their color. */
  function handleText(person) {
    return now(person).name || person.color;
  }

  function close() {
    options = [];
    active = -1;
    typed = null;
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    listbox.querySelectorAll("[role=option]").forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index < 0) return input.removeAttribute("aria-activedescendant");
    const li = listbox.children[index];
    input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }

  function update() {
    const before = input.value.slice(0, input.selectionStart);
    const found = input.selectionStart === input.selectionEnd && TYPED.exec(before);
    if (!found) return close();
    const query = found[2].toLowerCase();
    const members = people();
    options = members.filter((person) => {
      if (person.handle === myHandle) return false;
      const { name, color } = now(person);
      return !query || [name, color].some((text) => text && text.toLowerCase().includes(query));
    });
    if (!options.length) return close();
    typed = { start: before.length - found[2].length - 1, query };
    listbox.replaceChildren(
      ...options.map((person, i) => {
        const li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.handle = person.handle;
        const seen = document.createElement("span");
        seen.setAttribute("aria-hidden", "true");
        seen.textContent = menuLabel(person, members);
        const heard = document.createElement("span");
        heard.className = "visually-hidden";
        heard.textContent = spoken(person, members);
        li.append(seen, heard);
        return li;
      }),
    );
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(Math.min(Math.max(active, 0), options.length - 1));
  }

  function choose(index) {
    const person = options[index];
    if (!person || !typed) return;
    const end = input.selectionStart;
    const text = "@" + handleText(person) + " ";
    input.value = input.value.slice(0, typed.start) + text + input.value.slice(end);
    const caret = typed.start + text.length;
    input.setSelectionRange(caret, caret);
    close();
    input.dispatchEvent(new Event("input")); // the counter and the box's height follow
    input.focus();
  }

  input.addEventListener("input", update);
  input.addEventListener("click", update);
  input.addEventListener("blur", () => setTimeout(close, 150)); // after a tap on an option
  input.addEventListener("keydown", (event) => {
    if (listbox.hidden || event.isComposing) return;
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      highlight((active + moves[event.key] + options.length) % options.length);
    } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      const person = options[active];
      if (event.key === "Enter" && person && typed.query === handleText(person).toLowerCase()) {
        close(); // the name is typed out already: Enter sends the message
        return;
      }
      event.preventDefault(); // chosen, not sent
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault(); // closes the list, and nothing else
      close();
    }
  });
  // pointerdown keeps the focus in the box; the click chooses.
  listbox.addEventListener("pointerdown", (event) => event.preventDefault());
  listbox.addEventListener("click", (event) => {
    const li = event.target.closest("[role=option]");
    if (li) choose(Array.from(listbox.children).indexOf(li));
  });
  return { close };
}
