// Calls to the server's JSON routes: the CSRF header, and its {"error", "code"} as the thrown error.
import { csrfToken, t } from "./page.js";

/** The code of a request that got no answer at all (no server's code: the page's own). */
export const NO_ANSWER = "no-answer";

/**
 * An error in the page's words; `retryable` when trying again later may work (no answer, 429, 5xx).
 * `code` is the server's stable reason (docs/api.md): decide by it, never by the translated text.
 * `retryAfter` is the server's Retry-After in seconds, when it gave one.
 */
export function failure(message, retryable, status = 0, code = null, retryAfter = 0) {
  return Object.assign(new Error(message || t("failed")), { retryable, status, code, retryAfter });
}

export function retryableStatus(status) {
  return status === 429 || status >= 500;
}

/** Retry-After as whole seconds (a date form, which this server never sends, reads as 0). */
export function secondsOf(header) {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
}

/** A post's Idempotency-Key: sent again after a lost answer, what it posts is stored once. */
export function newKey() {
  // getRandomValues, unlike randomUUID, works on plain http too
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Send a state-changing request; resolves to the JSON answer, or throws with the reason. */
export async function send(method, url, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken(), ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    // fetch's own network errors are in the browser's words; ours are in the page's language
    throw failure(t("failed"), true, 0, NO_ANSWER);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const wait = secondsOf(response.headers.get("Retry-After"));
    throw failure(data.error, retryableStatus(response.status), response.status, data.code, wait);
  }
  return data;
}

/** Read a JSON route; resolves to its answer, or throws. */
export async function read(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(t("failed"));
  return response.json();
}
