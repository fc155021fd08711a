// Whispering is a mode, and it shows: a banner names the addressee; Esc or its close button
// leaves it, and it ends after one message unless the sender pins it.
import { label, myHandle, plainLabel, spoken, twoVoices } from "./people.js";
import { t } from "./page.js";

export function createWhisper({ input }) {
  const select = document.getElementById("whisper-to");
  const form = document.getElementById("chat-form");
  const banner = document.getElementById("whisper-banner");
  const text = document.getElementById("whisper-banner-text");
  const pin = document.getElementById("whisper-pin");
  const close = document.getElementById("whisper-close");
  const placeholder = input.placeholder;
  let people = [];

  function addressee() {
    return people.find((person) => person.handle === select.value) || null;
  }

  function show() {
    const to = addressee();
    if (!to) {
      select.value = "";
      pin.checked = false;
    }
    banner.hidden = !to;
    select.classList.toggle("active", Boolean(to));
    form.classList.toggle("whispering", Boolean(to));
    if (to) text.replaceChildren(...twoVoices(t("whisperBanner", { name: label(to) }), t("whisperBanner", { name: spoken(to) })));
    else text.replaceChildren();
    // A placeholder is read out as it is: the name, or "Guest" and a color word, never a code.
    input.placeholder = to ? t("whisperTo", { color: spoken(to) }) : placeholder;
  }

  function stop() {
    select.value = "";
    show();
    input.focus();
  }

  select.addEventListener("change", show);
  close.addEventListener("click", stop);
  for (const element of [form, banner]) {
    element.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && select.value && !event.isComposing && !event.defaultPrevented) {
        event.preventDefault();
        stop();
      }
    });
  }

  return {
    /** Everyone I may whisper to: the room's members but me. */
    setPeople(members) {
      const chosen = select.value;
      people = members.filter((person) => person.handle !== myHandle);
      while (select.options.length > 1) select.remove(1);
      for (const person of people) select.add(new Option(plainLabel(person, members), person.handle)); // an option is heard as seen;
      select.value = people.some((person) => person.handle === chosen) ? chosen : "";
      show();
    },
    /** Start whispering to the person with this handle. */
    choose(handle) {
      select.value = handle;
      show();
      input.focus();
    },
    /** The handle the next message goes to, or "" for everyone. */
    recipient() {
      return select.value;
    },
    /** A message went: a whisper that is not pinned is over. */
    sent(chat) {
      if (chat && chat.to && !pin.checked) stop();
    },
  };
}
