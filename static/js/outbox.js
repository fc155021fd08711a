// Messages on their way. Each is in the list at once, marked "Sending…", and goes after the
// ones typed before it. The server's copy replaces it (matched by the 201's _id, so it is
// never shown twice); a rate limit is waited out on a countdown; any other refusal leaves it
// "Not sent" with the server's reason, Retry, Edit and Discard. Nothing typed is dropped.
import { newKey, send } from "./api.js";
import { renderChat } from "./render.js";
import { countdown, waitOf } from "./retry.js";
import { rt } from "./room-strings.js";

/** The list item of a message not stored yet: its words, no time, tools or reactions yet. */
function pendingItem(preview, gifBase) {
  const li = renderChat({ ...preview, _id: "" }, gifBase);
  li.classList.add("pending");
  li.querySelector(":scope > .reactions")?.remove();
  li.querySelector(":scope > .tools")?.remove();
  const mark = document.createElement("span");
  mark.className = "send-mark";
  li.querySelector(":scope > time").replaceWith(mark);
  const problem = document.createElement("div");
  problem.className = "send-problem";
  problem.hidden = true;
  li.append(problem);
  return li;
}

function button(className, text) {
  return Object.assign(document.createElement("button"), { type: "button", className, textContent: text });
}

/**
 * `whenJoined()` resolves once the page is in its room; `rejoined(error)` is true when the
 * server refused only because the page was between joins and it is joining again (then the
 * message goes once more). `onSent(chat)` for each message stored; `onHeard(chat)` for my own
 * messages heard live while a post was on its way, drawn once it lands; `onEdit(text)` puts a
 * message that was not sent back in the box.
 */
export function createOutbox({ messages, gifBase, url, whenJoined, rejoined, onSent, onHeard, onEdit }) {
  const items = []; // in the order typed: {body, key, li, state, error, stop}
  let held = [];

  function set(item, state, error = null) {
    item.state = state;
    item.error = error;
    const { li } = item;
    li.dataset.state = state;
    li.querySelector(".send-mark").textContent = rt(state === "failed" ? "notSent" : "sending");
    const problem = li.querySelector(".send-problem");
    problem.hidden = state !== "failed" && state !== "waiting";
    problem.setAttribute("role", state === "failed" ? "alert" : "status");
    if (state !== "failed") return problem.replaceChildren();
    const reason = Object.assign(document.createElement("span"), { className: "send-reason", textContent: error.message });
    const retry = button("send-retry", rt("retry"));
    const edit = button("send-edit", rt("editMessage"));
    const discard = button("send-discard", rt("discard"));
    retry.addEventListener("click", () => again(item));
    edit.addEventListener("click", () => {
      drop(item);
      onEdit(item.body.chat);
    });
    discard.addEventListener("click", () => drop(item));
    problem.replaceChildren(reason, retry, edit, discard);
  }

  function drop(item) {
    item.stop?.();
    items.splice(items.indexOf(item), 1);
    messages.dropPending(item.li);
  }

  async function attempt(body, key) {
    const once = async () => {
      await whenJoined();
      return send("POST", url, body, { "Idempotency-Key": key });
    };
    return once().catch(async (error) => {
      if (!rejoined(error)) throw error;
      // Still refused after a fresh join: Retry, as for any send that may go later.
      return once().catch((again) => {
        throw Object.assign(again, { retryable: again.retryable || rejoined(again) });
      });
    });
  }

  /** The first message not sent yet goes, unless one before it is on its way or waiting. */
  function pump() {
    for (const item of items) {
      if (item.state === "sending" || item.state === "waiting") return;
      if (item.state === "queued") return go(item);
    }
  }

  async function go(item) {
    set(item, "sending");
    try {
      const chat = await attempt(item.body, item.key);
      items.splice(items.indexOf(item), 1);
      messages.settlePending(item.li, chat);
      onSent(chat);
    } catch (error) {
      refused(item, error);
    }
    const heard = held;
    held = [];
    heard.forEach(onHeard); // what is mine among them is drawn already, by its _id
    pump();
  }

  function refused(item, error) {
    const wait = waitOf(error);
    if (wait) {
      set(item, "waiting");
      const problem = item.li.querySelector(".send-problem");
      item.stop = countdown(
        wait,
        (left) => (problem.textContent = rt("sendWait", { seconds: left })),
        () => {
          set(item, "queued");
          pump();
        },
      );
    } else if (error.retryable) {
      // No server, or no answer: what was typed after it waits too, so nothing goes out of order.
      for (const later of items.slice(items.indexOf(item))) if (later.state !== "failed") set(later, "failed", error);
    } else {
      set(item, "failed", error); // this one only: the server said why, the rest may go
    }
  }

  /** Retry pressed: this message, and every one that failed for want of a connection. */
  function again(item) {
    for (const each of items) if (each === item || (each.state === "failed" && each.error.retryable)) set(each, "queued");
    pump();
  }

  return {
    /** A message to send (the POST's body), shown as `preview` (a Chat without _id) at once. */
    add(body, preview) {
      const item = { body, key: newKey(), li: pendingItem(preview, gifBase) };
      // Sending again is asking again: what failed for want of a connection goes first.
      for (const each of items) if (each.state === "failed" && each.error.retryable) set(each, "queued");
      items.push(item);
      set(item, "queued");
      messages.addPending(item.li);
      pump();
    },
    /** My own message heard live while a post is on its way: true when it waits for that post. */
    holds(chat) {
      if (!items.some((item) => item.state === "sending")) return false;
      held.push(chat);
      return true;
    },
    /** Back in the room: what failed for want of a connection goes again, in order. */
    resume() {
      for (const item of items) if (item.state === "failed" && item.error.retryable) set(item, "queued");
      pump();
    },
  };
}
