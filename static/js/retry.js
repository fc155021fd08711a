// What could not go (a GIF, an edit) in one line (#send-failed): "Not sent." with the server's
// reason and Retry; a rate limit's wait counted down instead, after which it goes by itself.
import { rt } from "./room-strings.js";

const WAITS = new Set(["rate-limited", "too-many-connections"]); // the codes of a 429
const FALLBACK_WAIT = 5; // seconds, for a 429 that did not say how long

const box = document.getElementById("send-failed");
const what = box.querySelector(".send-failed-what");
const why = box.querySelector(".send-failed-why");
const button = document.getElementById("retry-send");
const pending = new Map(); // run → {error, left: seconds still to wait, stop}

/** Call tick(seconds left) now and each second, then done(); returns a function that stops it. */
export function countdown(seconds, tick, done) {
  let left = Math.max(1, Math.ceil(seconds));
  tick(left);
  const timer = setInterval(() => {
    left -= 1;
    if (left > 0) return tick(left);
    clearInterval(timer);
    done();
  }, 1000);
  return () => clearInterval(timer);
}

/** How long a refusal asks to wait before the same thing may go, or 0 when it does not. */
export function waitOf(error) {
  return error && WAITS.has(error.code) ? error.retryAfter || FALLBACK_WAIT : 0;
}

function show() {
  const last = Array.from(pending.values()).at(-1);
  box.hidden = !last;
  if (!last) return;
  const waiting = last.left > 0;
  what.hidden = waiting;
  button.hidden = waiting;
  why.textContent = waiting ? rt("sendWait", { seconds: last.left }) : last.error?.message || "";
}

button.addEventListener("click", () => {
  const runs = Array.from(pending.keys()).filter((run) => !(pending.get(run).left > 0));
  runs.forEach((run) => pending.delete(run));
  show();
  runs.forEach((run) => run()); // whatever fails again offers itself again
});

/** Offer to run `run` again (sending what failed, refused with `error`): Retry, or after the wait. */
export function offerRetry(run, error) {
  settle(run);
  const entry = { error, left: 0, stop: () => {} };
  pending.set(run, entry);
  const wait = waitOf(error);
  if (wait) {
    entry.stop = countdown(
      wait,
      (left) => {
        entry.left = left;
        show();
      },
      () => {
        pending.delete(run);
        show();
        run();
      },
    );
  }
  show();
}

/** `run` no longer needs retrying (it went, or there is nothing left to send); all without one. */
export function settle(run) {
  const runs = run ? [run] : Array.from(pending.keys());
  for (const each of runs) {
    pending.get(each)?.stop();
    pending.delete(each);
  }
  show();
}

/** The page is back in its room: what failed for want of a connection or a server goes now. */
export function resume() {
  const runs = Array.from(pending.keys()).filter((run) => {
    const entry = pending.get(run);
    return entry.error?.retryable && !(entry.left > 0);
  });
  runs.forEach((run) => pending.delete(run));
  show();
  runs.forEach((run) => run());
}
