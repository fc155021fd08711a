// The message list as one tab stop (WAI-ARIA's roving tabindex): one item at a time is in the
// tab order, arrows move between items, and Tab from a focused item goes through that item's
// own controls (quote, links, GIF, tools, reactions) and then out of the list. Every other
// control in the list stays out of the tab order, so a room of a thousand messages costs one
// Tab, and Shift+Tab from the message box lands on a message, not on its last reaction.
const ITEM = "li.message, li.system, li.room-start";
const ITEMS = ":scope > li.message, :scope > li.system, :scope > li.room-start";
const CONTROLS = "a[href], button, input, select, textarea, [tabindex]";
const PAGE = 10; // items a PageUp or PageDown moves

/** Take `li`'s controls out of the tab order, or give them back what they had. */
function reach(li, on) {
  for (const control of li.querySelectorAll(CONTROLS)) {
    if (on && "roved" in control.dataset) {
      const before = control.dataset.roved;
      if (before) control.setAttribute("tabindex", before);
      else control.removeAttribute("tabindex");
      delete control.dataset.roved;
    } else if (!on && !("roved" in control.dataset) && control.tabIndex >= 0) {
      control.dataset.roved = control.getAttribute("tabindex") ?? "";
      control.tabIndex = -1;
    }
  }
}

export function createRoving({ list }) {
  let current = null; // the item in the tab order

  const items = () => list.querySelectorAll(ITEMS);
  const isItem = (li) => li && li.parentElement === list && li.matches(ITEM);

  function setCurrent(li) {
    if (li === current) return;
    if (current && current.isConnected) {
      current.tabIndex = -1;
      reach(current, false);
    }
    current = li;
    if (li) li.tabIndex = 0;
  }

  /**
   * Newly drawn items start out of the tab order. A reader on the newest item, with the focus
   * elsewhere, stays on the newest as more come; one who moved up keeps their place.
   */
  function drawn(added) {
    const fresh = new Set(added);
    for (const li of added) {
      if (!isItem(li) || li === current) continue;
      li.tabIndex = -1;
      reach(li, false);
    }
    const all = [...items()];
    const after = current?.isConnected ? all.slice(all.indexOf(current) + 1) : [];
    const wasNewest = after.every((li) => fresh.has(li));
    if (!current?.isConnected || (wasNewest && !list.contains(document.activeElement))) {
      setCurrent(all[all.length - 1] || null);
    }
  }

  function move(li) {
    if (!li) return;
    setCurrent(li);
    li.focus();
  }

  // Controls added inside an item later (an edit's links, a GIF's play button), or given back
  // their tabindex by a widget (a closed reaction menu), follow the item's rule.
  new MutationObserver((records) => {
    const added = [];
    for (const record of records) {
      const li = record.target === list ? null : record.target.closest?.("#chat-list > li");
      if (record.target === list && record.type === "childList") added.push(...record.addedNodes);
      else if (li && !li.contains(document.activeElement)) reach(li, false);
    }
    if (added.length || !current?.isConnected) drawn(added);
  }).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"] });

  list.addEventListener("focusin", (event) => {
    const li = event.target.closest("#chat-list > li");
    if (!isItem(li)) return;
    setCurrent(li);
    reach(li, true);
  });
  list.addEventListener("focusout", (event) => {
    const li = event.target.closest("#chat-list > li");
    if (isItem(li) && !li.contains(event.relatedTarget)) reach(li, false);
  });

  list.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const onList = event.target === list;
    const onItem = isItem(event.target);
    if (!onList && !onItem) return; // the keys belong to the control that has them
    const all = [...items()];
    const last = all.length - 1;
    // From the list itself (the skip link's target) the arrows go to where the reader was.
    const at = onItem ? all.indexOf(event.target) : Math.max(all.indexOf(current), 0);
    const step = onList ? 0 : 1;
    const to = {
      ArrowUp: at - step,
      ArrowDown: at + step,
      Home: 0,
      End: last,
      PageUp: at - PAGE,
      PageDown: at + PAGE,
    }[event.key];
    if (to === undefined || last < 0) return;
    event.preventDefault();
    move(all[Math.max(0, Math.min(last, to))]);
  });

  return {
    /** The item in the tab order (the newest unless the reader moved). */
    current: () => current,
    /** Focus `li` as the keyboard's place in the list. */
    focus: move,
  };
}
