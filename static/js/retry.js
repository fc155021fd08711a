// "Not sent." with a Retry button (#send-failed): what could not go (the message in the box,
// GIFs), waiting for one press to send it all again.
const box = document.getElementById("send-failed");
const button = document.getElementById("retry-send");
const pending = new Set();
const errorBox = document.getElementById("chat-error");

button.addEventListener("click", () => {
  const runs = Array.from(pending);
  pending.clear();
  box.hidden = true;
  runs.forEach((run) => run()); // whatever fails again offers itself again
});

/** Offer to run `run` again (sending what failed) when the visitor presses Retry. */
export function offerRetry(run) {
  pending.add(run);
  box.hidden = false;
  // One line is enough: "Not sent. Retry" says what a generic "the request failed" would.
  errorBox.replaceChildren();
  errorBox.hidden = true;
}

/** `run` no longer needs retrying (it went, or there is nothing left to send); all without one. */
export function settle(run) {
  if (run) pending.delete(run);
  else pending.clear();
  box.hidden = pending.size === 0;
}
