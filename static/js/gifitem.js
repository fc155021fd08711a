// A GIF in the feed: capped in height by CSS, opened large by click or Enter (gifs.js), and
// for people who asked for less motion, held still on its first frame until they press play.
import { t } from "./page.js";
import { rt } from "./room-strings.js";

const still = window.matchMedia("(prefers-reduced-motion: reduce)");

/** A GIF in the feed: capped in height by CSS, opened large (gifs.js) by click or Enter. */
export function gifImage(chat, gifBase, alt) {
  const img = document.createElement("img");
  img.className = "gif";
  img.loading = "lazy";
  img.src = gifBase + encodeURIComponent(chat.gif);
  img.alt = alt;
  img.dataset.gif = chat.gif;
  img.tabIndex = 0;
  img.setAttribute("role", "button");
  img.setAttribute("aria-label", img.alt + " · " + rt("openGif"));
  return img;
}

/** For people who asked for less motion: the GIF's first frame, still, until they press play. */
export function holdStill(img) {
  if (!still.matches || img.dataset.still) return;
  img.dataset.still = "held";
  img.loading = "eager"; // a hidden lazy image would never load
  const canvas = document.createElement("canvas");
  canvas.className = "gif-still";
  canvas.width = canvas.height = 0;
  // The still frame opens large (gifs.js) as the moving GIF does: by click, Enter or Space.
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "button");
  canvas.setAttribute("aria-label", img.getAttribute("aria-label"));
  const button = document.createElement("button");
  button.type = "button";
  button.className = "gif-play";
  const draw = () => {
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(img, 0, 0);
  };
  const show = (playing) => {
    img.hidden = !playing;
    canvas.hidden = playing;
    img.dataset.still = playing ? "playing" : "held";
    button.setAttribute("aria-pressed", String(playing));
    button.setAttribute("aria-label", t(playing ? "pauseGif" : "playGif") + " · " + img.alt);
    button.textContent = playing ? "❚❚" : "▶";
  };
  if (img.complete && img.naturalWidth) draw();
  else img.addEventListener("load", draw, { once: true });
  button.addEventListener("click", () => {
    const playing = img.hidden;
    if (!playing && img.naturalWidth) draw(); // pausing keeps the frame on screen now
    show(playing);
  });
  img.before(canvas);
  img.after(button);
  img.parentElement.classList.add("has-still");
  show(false);
}
