// Marks that help read the list: the day over the first item of each day ("Today",
// "Yesterday", a date), and runs, one person's consecutive messages, whose name is shown once
// (on the first) and time once (on the last; every time on hover or focus, by reading.css).
// The marks live inside the items, so the list holds only chats and every item stays one stop
// for the keyboard.

const DAY_MS = 24 * 60 * 60 * 1000;
const RUN_GAP_MS = 5 * 60 * 1000; // a longer pause starts a new run

/** Labels for days in the viewer's language and time zone. */
export function dayLabels(lang) {
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "full" });
  const capital = (text) => text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
  return (moment) => {
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const day = new Date(moment);
    day.setHours(0, 0, 0, 0);
    const ago = Math.round((today - day) / DAY_MS); // whole days, whatever the clocks did
    return ago === 0 || ago === 1 ? capital(relative.format(-ago, "day")) : date.format(moment);
  };
}

/** The day `li` was said on (its local midnight, as a number), or null without a time. */
export function dayOf(li) {
  const time = Number(li?.dataset.time);
  if (!Number.isFinite(time) || time <= 0) return null;
  return new Date(time).setHours(0, 0, 0, 0);
}

/** Put the day over each item that starts one, and take it off the others. */
export function markDays(list, label) {
  let previous = null;
  for (const li of list.querySelectorAll(":scope > li.message, :scope > li.system")) {
    const day = dayOf(li);
    if (day === null) continue;
    let mark = li.querySelector(":scope > .day");
    if (day === previous) {
      mark?.remove();
      continue;
    }
    previous = day;
    if (!mark) {
      mark = document.createElement("span");
      mark.className = "day";
      li.prepend(mark);
    }
    const text = label(day);
    if (mark.textContent !== text) mark.textContent = text;
  }
}

/** Whether `li` continues the run of `prev`: same run key, no pause, nothing deleted between. */
function continues(prev, li) {
  if (!prev || !li || !li.dataset.run || prev.dataset.run !== li.dataset.run) return false;
  if (prev.dataset.breakAfter || li.dataset.breakBefore || dayOf(prev) !== dayOf(li)) return false;
  const pause = Number(li.dataset.time) - Number(prev.dataset.time);
  return pause >= 0 && pause <= RUN_GAP_MS;
}

/**
 * Show or hide (visually) the name line of `li` by its neighbour above, and that neighbour's
 * time: a run shows its time once, on its last message.
 */
export function regroup(li) {
  if (!li) return;
  const prev = li.previousElementSibling;
  const together = continues(prev, li);
  li.classList.toggle("grouped", together);
  prev?.classList.toggle("continued", together);
}
