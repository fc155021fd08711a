// A message's tools and its reaction picker open in rows under its bubble. The list follows
// its newest message whenever an item changes size (messages.js), which would carry an older
// message's opened rows out of sight, and on the last message they open below the list's
// edge: so once the tap's layout is done, the opened message is scrolled into view.
const list = document.getElementById("chat-list");

function revealOpened(event) {
  const li = event.target.closest("li.message");
  if (!li) return;
  // An observer made now reports after the list's own (made first), in the same frame.
  const settled = new ResizeObserver(() => {
    settled.disconnect();
    if (li.matches(".tools-open, :has(.reactions.picking)")) li.scrollIntoView({ block: "nearest" });
  });
  settled.observe(li);
}

if (list) list.addEventListener("click", revealOpened);
