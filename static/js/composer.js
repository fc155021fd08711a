// Writing a message: Enter sends, Shift+Enter breaks the line. A message sent goes to the
// outbox (outbox.js), shown at once, and the box is free for the next one; an edit is saved
// from the box, which stays as it is until the save is done.
import { lang, limits, t } from "./page.js";
import { offerRetry, settle } from "./retry.js";

// What Python's str.strip() takes off (the server trims so before it counts), which is not
// quite what String.prototype.trim() does: \x1c-\x1f and \x85 go, \ufeff stays.
const SPACE = new Set(
  "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005" +
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
);
const NEAR = 0.9; // the counter shows from 90% of the limit

/** The message as the server will take it: trimmed its way. */
export function trimmed(text) {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE.has(text[start])) start += 1;
  while (end > start && SPACE.has(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

/** Its length as the server counts it: code points, so an emoji is one, not two. */
export function length(text) {
  return [...text].length;
}

/**
 * `enqueue(body)` takes a message to send (the POST's body, whisper and reply included);
 * `editing` saves an edit instead while one is under way.
 */
export function createComposer({ form, input, counter, recipient, extra, editing, enqueue, showError }) {
  let saving = false; // an edit is being saved: the box holds it until the server answers
  let refused = false; // the box holds a message refused as too long
  const max = limits.chat;
  const number = new Intl.NumberFormat(lang);

  /** "1,012 / 1,000" near the limit and over it, for eyes; in words for screen readers. */
  function count() {
    const used = length(trimmed(input.value));
    const over = used > max;
    counter.hidden = used < max * NEAR;
    counter.classList.toggle("over", over);
    if (over) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    if (counter.hidden) return counter.replaceChildren();
    const vars = { count: number.format(used), max: number.format(max) };
    const seen = Object.assign(document.createElement("span"), { textContent: vars.count + " / " + vars.max });
    seen.setAttribute("aria-hidden", "true");
    const heard = Object.assign(document.createElement("span"), {
      className: "visually-hidden",
      textContent: t("charactersUsed", vars),
    });
    counter.replaceChildren(seen, heard);
  }

  function fit() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 160) + "px";
  }

  function sendText() {
    const text = trimmed(input.value);
    if (!text || saving) return;
    if (length(text) > max) {
      // Refused here as the server would refuse it; the text stays whole to be shortened.
      refused = true;
      showError(t("tooLong", { count: number.format(length(text)), max: number.format(max) }));
      return;
    }
    if (editing.active()) return saveEdit(text);
    const to = recipient();
    enqueue({ chat: text, ...(to ? { to } : {}), ...extra() });
    input.value = "";
    fit();
    count();
    showError("");
  }

  /** The box holds an edit of one of my messages: it is saved, not sent. */
  async function saveEdit(text) {
    saving = true;
    input.readOnly = true; // what is typed meanwhile would be lost when the box is given back
    editing.saving(true);
    try {
      await editing.save(text); // which gives the box back as it was before the edit
      settle(retryEdit);
      showError("");
    } catch (error) {
      // The edit stays in the box, to fix, to send again, or to drop with Esc.
      if (error.retryable) offerRetry(retryEdit, error);
      else showError(error.message);
    } finally {
      saving = false;
      input.readOnly = false;
      editing.saving(false);
    }
  }

  /** Retry (or the end of a rate limit's wait) saves the edit the box still holds. */
  function retryEdit() {
    const text = trimmed(input.value);
    if (editing.active() && text) saveEdit(text);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendText();
  });
  input.addEventListener("keydown", (event) => {
    // never while an IME is still composing, nor when a list over the box took the key
    if (event.defaultPrevented) return;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    sendText();
  });
  input.addEventListener("input", () => {
    fit();
    count();
    // What the last send said goes once the next message is being written, but "too long"
    // stays until the message is short enough.
    if (!refused || length(trimmed(input.value)) <= max) {
      refused = false;
      showError("");
    }
  });

  /** Put text in the box (an edit to make), caret at its end. */
  function fill(text) {
    input.value = text;
    fit();
    count();
    input.focus();
    input.setSelectionRange(text.length, text.length);
  }

  return {
    fill,
    /** A message that was not sent, back in the box to change: after what the box holds. */
    putBack(text) {
      fill(input.value.trim() ? input.value.replace(/\s+$/, "") + "\n" + text : text);
    },
    disable() {
      form.querySelectorAll("input, textarea, select, button").forEach((c) => (c.disabled = true));
      settle();
    },
    /** The edit was left (Esc, or its message deleted): nothing of it is left to retry. */
    editStopped() {
      settle(retryEdit);
    },
  };
}
