// Reading marks inside the list: the day over the first item of each day ("Today", "Yesterday",
// a date), and each run's time said once, on its last message (every time on hover or focus,
// by reading.css). The marks live inside the items, so the list holds only chats and every
// item stays one stop for the keyboard.

const DAY_MS = 24 * 60 * 60 * 1000;

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
