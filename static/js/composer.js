// Writing a message: Enter sends, Shift+Enter breaks the line. A message that could not be
// sent stays in the box, with a Retry button (retry.js), until it goes.
import { send } from "./api.js";
import { offerRetry, settle } from "./retry.js";

export function createComposer({ form, input, url, recipient, onSent, showError }) {
  let sending = false;

  function fit() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 160) + "px";
  }

  async function sendText() {
    const text = input.value.trim();
    if (!text || sending) return;
    const to = recipient();
    sending = true;
    try {
      const chat = await send("POST", url, to ? { chat: text, to } : { chat: text });
      input.value = "";
      fit();
      settle(retryText);
      showError("");
      onSent(chat);
    } catch (error) {
      if (error.retryable) offerRetry(retryText); // the text stays in the box either way
      showError(error.message);
    } finally {
      sending = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendText();
  });
  input.addEventListener("keydown", (event) => {
    // never while an IME is still composing
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    sendText();
  });
  input.addEventListener("input", () => {
    fit();
    if (!input.value.trim()) settle(retryText); // nothing left to retry
  });

  function retryText() {
    sendText();
    input.focus();
  }

  return {
    disable() {
      form.querySelectorAll("input, textarea, select, button").forEach((c) => (c.disabled = true));
      settle();
    },
  };
}
