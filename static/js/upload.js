// Uploading a GIF: from the file button, a drop on the chat list, or a paste; with progress.
// One goes at a time, the others wait their turn (none is dropped); one that fails says why,
// with Retry (retry.js), or counts down a rate limit's wait and goes by itself.
import { NO_ANSWER, failure, newKey, retryableStatus, secondsOf } from "./api.js";
import { csrfToken, limits, t } from "./page.js";
import { offerRetry } from "./retry.js";

/** Why this file will not be sent, or "" when it may go. */
function refusal(file) {
  if (file.type !== "image/gif") return t("notGif");
  if (file.size > limits.gifBytes) return t("tooLarge");
  return "";
}

function post(url, file, fields, key, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    signal.addEventListener("abort", () => xhr.abort());
    const body = new FormData();
    body.append("gif", file);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Idempotency-Key", key);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let data = {};
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // a proxy's HTML error page, say: fall back to our own words
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else {
        const message = data.error || (xhr.status === 413 ? t("tooLarge") : t("failed"));
        const wait = secondsOf(xhr.getResponseHeader("Retry-After"));
        reject(failure(message, retryableStatus(xhr.status), xhr.status, data.code, wait));
      }
    });
    xhr.addEventListener("error", () => reject(failure(t("failed"), true, 0, NO_ANSWER)));
    // Cancelled on purpose: nothing to report and nothing to retry.
    xhr.addEventListener("abort", () => reject(Object.assign(failure("", false), { cancelled: true })));
    xhr.send(body);
  });
}

function hasFiles(event) {
  return Array.from(event.dataTransfer?.types || []).includes("Files");
}

export function setupUploads({ url, input, dropZone, status, extra = () => ({}), onSent, showError }) {
  let busy = false;
  const waiting = []; // files chosen while another uploads: [file, fields, key], in order
  let upload = null; // the AbortController of the upload under way
  const progress = status.querySelector("progress");
  const fileName = status.querySelector(".upload-name");
  status.querySelector(".upload-cancel").addEventListener("click", () => upload?.abort());

  function setProgress(share) {
    status.hidden = share === null;
    if (share !== null) {
      progress.value = Math.round(share * 100);
      progress.textContent = progress.value + "%";
    }
  }

  /** Send a file the visitor chose, replying to what they reply to now; after any before it. */
  function send(file) {
    if (!file) return;
    const why = refusal(file);
    if (why) return showError(why);
    showError("");
    go(file, extra(), newKey());
  }

  /** Upload a file; Retry sends it with the same key, so a GIF stored unheard is not stored twice. */
  async function go(file, fields, key) {
    if (busy) return waiting.push([file, fields, key]);
    busy = true;
    fileName.textContent = file.name;
    setProgress(0);
    upload = new AbortController();
    try {
      onSent(await post(url, file, fields, key, setProgress, upload.signal));
    } catch (error) {
      // The reason and Retry in one line; a rate limit's wait counted down, then it goes.
      if (error.retryable) offerRetry(() => go(file, fields, key), error);
      else if (!error.cancelled) showError(error.message);
    } finally {
      upload = null;
      busy = false;
      setProgress(null);
    }
    if (waiting.length) go(...waiting.shift());
  }

  input.addEventListener("change", () => {
    const file = input.files[0];
    input.value = "";
    send(file);
  });

  let depth = 0; // dragenter/dragleave fire for every child crossed
  const hint = (on) => dropZone.classList.toggle("dropping", on);
  dropZone.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    hint(true);
  });
  dropZone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  dropZone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) hint(false);
  });
  dropZone.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    hint(false);
    send(event.dataTransfer.files[0]);
  });

  // A file dropped beside the list must not replace the page with the file.
  for (const type of ["dragover", "drop"]) {
    document.addEventListener(type, (event) => {
      if (hasFiles(event) && !dropZone.contains(event.target)) event.preventDefault();
    });
  }

  document.addEventListener("paste", (event) => {
    const file = Array.from(event.clipboardData?.files || []).find((f) => f.type.startsWith("image/"));
    if (!file) return; // plain text pastes into the text field as usual
    event.preventDefault();
    send(file);
  });

  return { send };
}
