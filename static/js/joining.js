// Joining the room on every connect: who is here, then a replay of what was said meanwhile,
// and only then what waits to be sent. A refusal that passes is waited out; any other means
// the room will not have the page.
import { loadPage, replay } from "./history.js";
import { t } from "./page.js";

// Join refusals that pass: the page tries again after the wait instead of leaving the room.
const PASSING = new Set(["rate-limited", "busy"]);
const JOIN_AGAIN_S = 5; // when such a refusal does not say how long

/**
 * Join `roomId` on each connect of `socket`, replaying into `messages` from what they showed.
 * `onMembers(members)` with who is here; `onBack()` once the page is caught up; `onWait(message)`
 * for a refusal that passes; `onRefused(message)` when the room will not have the page.
 */
export function setupJoining({ socket, roomId, historyUrl, messages, onMembers, onBack, onWait, onRefused }) {
  let resumeFrom = null; // where a replay that failed must start again
  let wasJoined = false; // the feed was on before: a connect is a reconnect
  let joining = false; // a join is on its way: no second one

  function join() {
    // What was shown before this join: the replay starts there, live events come after it.
    const shownBefore = resumeFrom ?? messages.newestSeq();
    joining = true;
    socket.emit("join", roomId, async (answer) => {
      joining = false;
      if (answer && PASSING.has(answer.code)) {
        // Too many joins, or the server's database away for a moment: join again after the wait.
        onWait(answer.error);
        setTimeout(again, (answer.retryAfter || JOIN_AGAIN_S) * 1000);
        return;
      }
      if (!answer || answer.error) return onRefused((answer && answer.error) || t("failed"));
      onMembers(answer.members);
      try {
        await replay(historyUrl, messages, shownBefore);
        // Back after a gap: deletions and reactions made meanwhile, from the latest page.
        if (wasJoined) messages.reconcile(await loadPage(historyUrl));
        wasJoined = true;
        resumeFrom = null;
      } catch {
        resumeFrom = shownBefore; // the next reconnect replays from the same place
      }
      onBack();
    });
  }

  /** Join now, unless a join is on its way or the socket is down (its next connect joins). */
  function again() {
    if (socket.connected && !joining) join();
  }

  socket.on("connect", join);
  return { again };
}
