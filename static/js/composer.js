// Writing a message: Enter sends, Shift+Enter breaks the line. A message that could not be
// sent stays in the box, with a Retry button (retry.js), until it goes.
import { send } from "./api.js";
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
 * `whenJoined()` resolves once the page is in its room (a message typed while it rejoins waits
 * for that); `rejoined(error)` is true when the server refused only because the page was
 * between joins, and the page has started joining again: then the message goes once more.
 */
export function createComposer({ form, input, counter, url, recipient, extra, editing, onSent, showError, whenJoined, rejoined }) {
  let sending = false;
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

  async function sendText() {
    const text = trimmed(input.value);
    if (!text || sending) return;
    if (length(text) > max) {
      // Refused here as the server would refuse it; the text stays whole to be shortened.
      refused = true;
      showError(t("tooLong", { count: number.format(length(text)), max: number.format(max) }));
      return;
    }
    if (editing.active()) return saveEdit(text);
    const to = recipient();
    const body = { chat: text, ...(to ? { to } : {}), ...extra() };
    const post = async () => {
      await whenJoined();
      return send("POST", url, body);
    };
    sending = true;
    try {
      const chat = await post().catch(async (error) => {
        if (!rejoined(error)) throw error;
        // Still refused after a fresh join: Retry, as for any send that may go later.
        return post().catch((again) => {
          throw Object.assign(again, { retryable: again.retryable || rejoined(again) });
        });
      });
      input.value = "";
      fit();
      count();
      settle(retryText);
      showError("");
      onSent(chat);
    } catch (error) {
      // The text stays in the box either way; Retry says on its own that it did not go.
      if (error.retryable) offerRetry(retryText);
      else showError(error.message);
    } finally {
      sending = false;
    }
  }

  /** The box holds an edit of one of my messages: it is saved, not sent. */
  async function saveEdit(text) {
    sending = true;
    try {
      await editing.save(text); // which gives the box back as it was before the edit
      showError("");
    } catch (error) {
      showError(error.message); // the edit stays in the box, to fix or to drop with Esc
    } finally {
      sending = false;
    }
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
    if (refused && length(trimmed(input.value)) <= max) {
      refused = false;
      showError("");
    }
    if (!input.value.trim()) settle(retryText); // nothing left to retry
  });

  function retryText() {
    sendText();
    input.focus();
  }

  return {
    /** Put text in the box (an edit to make), caret at its end. */
    fill(text) {
      input.value = text;
      fit();
      count();
      input.focus();
      input.setSelectionRange(text.length, text.length);
    },
    disable() {
      form.querySelectorAll("input, textarea, select, button").forEach((c) => (c.disabled = true));
      settle();
    },
  };
}
