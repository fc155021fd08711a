// GIFs worth a second look: a viewer that opens one large (Esc closes it, focus goes back to
// where it was), and a picker of recent GIFs (the room's and my own) to send again.
import { newKey, read, send } from "./api.js";
import { offerRetry } from "./retry.js";
import { rt } from "./room-strings.js";

const still = window.matchMedia("(prefers-reduced-motion: reduce)");

/** What a feed GIF's still frame (render.js) stands for: its <img>. */
function gifOf(source) {
  return source.matches("canvas") ? source.parentElement.querySelector("img.gif") : source;
}

/** Open a feed GIF large in the <dialog>, by click or by Enter/Space on it. */
export function setupViewer({ list, dialog }) {
  const img = dialog.querySelector("img");
  let opener = null;

  function open(source) {
    opener = source;
    const gif = gifOf(source);
    // Opened from the still frame, it stays still: that frame, large.
    img.src = source.matches("canvas") && source.width ? source.toDataURL() : gif.src;
    img.alt = gif.alt;
    dialog.showModal();
  }

  list.addEventListener("click", (event) => {
    const source = event.target.closest("img.gif, canvas.gif-still");
    if (source) open(source);
  });
  list.addEventListener("keydown", (event) => {
    const source = event.target.closest?.("img.gif, canvas.gif-still");
    if (!source || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    open(source);
  });
  // A click on the backdrop (the dialog itself, outside its box) closes it too.
  dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
  // The close event comes a moment after the dialog closed: by then it may be open again, or
  // focus may have moved on (the keyboard is quick), and either stays as it is.
  dialog.addEventListener("close", () => {
    if (dialog.open) return;
    img.removeAttribute("src");
    const focused = document.activeElement;
    const movedOn = focused && focused !== document.body && !dialog.contains(focused);
    if (opener && opener.isConnected && !movedOn) opener.focus();
    opener = null;
  });
}

/** The composer's "Recent GIFs" panel: one press sends a GIF again, without uploading it. */
export function setupPicker({ toggle, panel, listUrl, sendUrl, gifBase, extra = () => ({}), onSent, showError }) {
  const grid = panel.querySelector(".gif-grid");
  const empty = panel.querySelector(".gif-empty");

  function close(refocus) {
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }

  /** Who shared a GIF, as the list names them, when it is among the messages shown. */
  function sharedBy(name) {
    const shown = [...document.querySelectorAll("#chat-list img.gif")].findLast((gif) => gif.dataset.gif === name);
    return shown ? shown.alt : "";
  }

  /** For people who asked for less motion: the GIF's first frame, still. */
  function holdStill(b, img) {
    img.loading = "eager"; // a hidden lazy image would never load
    img.hidden = true;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 0;
    img.addEventListener(
      "load",
      () => {
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        canvas.getContext("2d").drawImage(img, 0, 0);
      },
      { once: true },
    );
    b.prepend(canvas);
  }

  function choice(name, index, all) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "gif-choice";
    b.dataset.gif = name;
    // Each its own name: which one of how many, and whose, when the list shows it.
    b.setAttribute("aria-label", [rt("sendGif"), `${index + 1}/${all.length}`, sharedBy(name)].filter(Boolean).join(" · "));
    const img = document.createElement("img");
    img.src = gifBase + encodeURIComponent(name);
    img.alt = "";
    img.loading = "lazy";
    b.append(img);
    if (still.matches) holdStill(b, img);
    return b;
  }

  async function open() {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    grid.replaceChildren();
    empty.hidden = true;
    panel.setAttribute("aria-busy", "true");
    try {
      const { gifs } = await read(listUrl);
      grid.replaceChildren(...gifs.map(choice));
      empty.hidden = gifs.length > 0;
      grid.querySelector("button")?.focus();
    } catch (error) {
      showError(error.message);
      close(true);
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  toggle.addEventListener("click", () => (panel.hidden ? open() : close(true)));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close(true);
  });
  /** Send a GIF again; refused for a moment, it says why beside Retry (or waits, and goes). */
  async function resend(body, key = newKey()) {
    try {
      onSent(await send("POST", sendUrl, body, { "Idempotency-Key": key }));
      showError("");
      return true;
    } catch (error) {
      if (error.retryable) offerRetry(() => resend(body, key), error);
      else showError(error.message);
      return false;
    }
  }

  grid.addEventListener("click", async (event) => {
    const b = event.target.closest("button.gif-choice");
    if (!b) return;
    b.disabled = true;
    if (await resend({ reuse: b.dataset.gif, ...extra() })) close(true);
    else b.disabled = false;
  });
}
