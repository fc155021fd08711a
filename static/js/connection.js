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
