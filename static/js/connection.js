// The banner that says a page's live feed is lost and being restored (#connection-status).
import { t } from "./page.js";

const banner = document.getElementById("connection-status");
let unloading = false;
window.addEventListener("pagehide", () => (unloading = true)); // leaving is no lost connection

function show(lost) {
  // Always in the page, only its text changes: a live region that appears is often not read.
  banner.textContent = lost ? t("offline") : "";
  document.body.dataset.connection = lost ? "lost" : "live";
}

/** Show the banner whenever `socket` drops by itself; the page calls back() once caught up. */
export function watchConnection(socket) {
  socket.on("disconnect", (reason) => {
    // "io client disconnect": the page closed it on purpose (kicked, room deleted)
    if (!unloading && reason !== "io client disconnect") show(true);
  });
  return { back: () => show(false) };
}

/**
 * Whether the page is in its room on the server. Posting needs it, and a reconnect (or a
 * restarted server, which forgot who was where) takes it away until the join is acknowledged.
 */
export function createJoinGate({ holdMs, onTimeout }) {
  let joined = false;
  const waiting = new Set();
  return {
    isOpen: () => joined,
    open() {
      joined = true;
      waiting.forEach((done) => done());
    },
    close() {
      joined = false;
    },
    /** Resolves once joined; rejects with onTimeout() if the page is not back within holdMs. */
    wait() {
      if (joined) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          waiting.delete(done);
          reject(onTimeout());
        }, holdMs);
        waiting.add(done);
      });
    },
  };
}
