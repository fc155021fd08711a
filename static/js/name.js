// Choosing a display name from the header of any page, without leaving it.
import { send } from "./api.js";
import { showMyName } from "./people.js";

const form = document.getElementById("name-form");
const details = document.getElementById("name-edit");
const error = document.getElementById("name-error");
const input = document.getElementById("name-input");

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const me = await send("POST", form.action, { name: input.value });
    showMyName(me.name);
    // Mentions of me (room-strings.js) are read by this name from now on, as after a reload.
    document.body.dataset.name = me.name || "";
    input.value = me.name;
    showError("");
    details.open = false;
    details.querySelector("summary").focus();
  } catch (failure) {
    showError(failure.message);
    input.focus();
  }
});
details.addEventListener("toggle", () => {
  if (details.open) input.select();
});
details.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !details.open) return;
  details.open = false;
  details.querySelector("summary").focus();
});
