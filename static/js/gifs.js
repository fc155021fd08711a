// GIFs worth a second look: a viewer that opens one large (Esc closes it, focus goes back to
// where it was), and a picker of recent GIFs (the room's and my own) to send again.
import { read, send } from "./api.js";
import { rt } from "./room-strings.js";

/** Open a feed GIF large in the <dialog>, by click or by Enter/Space on it. */
export function setupViewer({ list, dialog }) {
  const img = dialog.querySelector("img");
  let opener = null;

  function open(source) {
    opener = source;
    img.src = source.src;
    img.alt = source.alt;
    dialog.showModal();
  }

  list.addEventListener("click", (event) => {
    const source = event.target.closest("img.gif");
    if (source) open(source);
  });
  list.addEventListener("keydown", (event) => {
    const source = event.target.closest?.("img.gif");
    if (!source || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    open(source);
  });
  // A click on the backdrop (the dialog itself, outside its box) closes it too.
  dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
  dialog.addEventListener("close", () => {
    img.removeAttribute("src");
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
}

/** The composer's "Recent GIFs" panel: one press sends a GIF again, without uploading it. */
export function setupPicker({ toggle, panel, listUrl, sendUrl, gifBase, onSent, showError }) {
  const grid = panel.querySelector(".gif-grid");
  const empty = panel.querySelector(".gif-empty");

  function close(refocus) {
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }

  function choice(name) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "gif-choice";
    b.dataset.gif = name;
    const img = document.createElement("img");
    img.src = gifBase + encodeURIComponent(name);
    img.alt = rt("sendGif");
    img.loading = "lazy";
    b.append(img);
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
  grid.addEventListener("click", async (event) => {
    const b = event.target.closest("button.gif-choice");
    if (!b) return;
    b.disabled = true;
    try {
      onSent(await send("POST", sendUrl, { reuse: b.dataset.gif }));
      showError("");
      close(true);
    } catch (error) {
      showError(error.message);
      b.disabled = false;
    }
  });
}
