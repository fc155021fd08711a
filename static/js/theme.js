// The header's light / dark / system switch, live: the choice is kept in the session (the
// server renders it on <html data-theme> for the next page) and applied here at once.
import { send } from "./api.js";

const form = document.getElementById("theme-form");

function show(theme) {
  document.documentElement.dataset.theme = theme; // colors.js repaints the people's colors
  for (const button of form.querySelectorAll("button[name=theme]")) {
    button.setAttribute("aria-pressed", String(button.value === theme));
  }
}

if (form) {
  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button || button.name !== "theme") return;
    event.preventDefault();
    const before = document.documentElement.dataset.theme;
    show(button.value); // at once; put back if the server refuses
    try {
      show((await send("POST", form.action, { theme: button.value })).theme);
    } catch {
      show(before);
    }
  });
}
