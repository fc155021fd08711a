// The participants panel: folded to its summary (the count) on a phone, open on a wider
// screen, unless the visitor opened or closed it: that choice stays for the tab's session.
const panel = document.getElementById("participants");
const phone = window.matchMedia("(max-width: 720px)");
const KEY = "gifchat.participants-open";
let remembered = null; // the choice, where session storage is refused

function chosen() {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return remembered; // storage refused: this page's choice only
  }
}

function fit() {
  const choice = chosen();
  panel.open = choice === null ? !phone.matches : choice === "true";
}

if (panel) {
  fit();
  phone.addEventListener("change", fit);
  // A press on the summary (click, Enter or Space) is the visitor's choice; fit() is not.
  panel.querySelector("summary").addEventListener("click", () => {
    remembered = String(!panel.open);
    try {
      window.sessionStorage.setItem(KEY, remembered);
    } catch {
      // kept in `remembered` for this page
    }
  });
}
