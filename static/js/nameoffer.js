// "What should people call you?": offered once above the box to someone without a name, in
// their first room. One field, skippable, never in the way: messages go whether or not.
import { send } from "./api.js";
import { showMyName } from "./people.js";

const SKIPPED = "gifchat.nameOffer"; // remembered in the browser: asked once is enough

function skipped() {
  try {
    return localStorage.getItem(SKIPPED) === "skipped";
  } catch {
    return false; // storage refused: ask, as the form is easy to skip
  }
}

export function setupNameOffer({ form }) {
  if (document.body.dataset.name || skipped()) return;
  const input = form.querySelector("input[name=name]");
  const error = form.querySelector(".error");
  form.hidden = false;

  function done() {
    form.hidden = true;
    document.getElementById("chat").focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const me = await send("POST", form.action, { name: input.value });
      // The header's name, as name.js shows it after its own form.
      showMyName(me.name);
      document.getElementById("name-input").value = me.name;
      document.body.dataset.name = me.name;
      done();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      input.focus();
    }
  });
  form.querySelector(".name-offer-skip").addEventListener("click", () => {
    try {
      localStorage.setItem(SKIPPED, "skipped");
    } catch {
      // not remembered: offered again next time, and skipped as easily
    }
    done();
  });
}
