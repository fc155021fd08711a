// The owner's "Delete room" button, with an inline "really delete?" step instead of confirm().
import { send } from "./api.js";
import { t } from "./page.js";

export function createOwnerControls({ root, onError, onDeleted }) {
  const exit = document.getElementById("exit-btn");
  let remove = document.getElementById("delete-room");
  let confirmBox = null;

  function element(tag, props) {
    return Object.assign(document.createElement(tag), props);
  }

  function closeConfirm(refocus) {
    if (!confirmBox) return;
    confirmBox.remove();
    confirmBox = null;
    if (remove) {
      remove.hidden = false;
      if (refocus) remove.focus();
    }
  }

  async function destroy(yes) {
    yes.disabled = true;
    try {
      await send("DELETE", root.dataset.deleteUrl);
      return onDeleted();
    } catch (error) {
      onError(error.message);
    }
    closeConfirm(true);
  }

  function openConfirm() {
    confirmBox = element("span", { id: "delete-confirm", className: "confirm" });
    confirmBox.setAttribute("role", "group");
    const question = element("span", { id: "delete-question", textContent: t("confirmDelete") });
    confirmBox.setAttribute("aria-labelledby", "delete-question");
    const yes = element("button", {
      type: "button",
      id: "delete-room-confirm",
      className: "danger solid",
      textContent: t("reallyDelete"),
    });
    const no = element("button", { type: "button", id: "delete-room-cancel", textContent: t("cancel") });
    yes.addEventListener("click", () => destroy(yes));
    no.addEventListener("click", () => closeConfirm(true));
    confirmBox.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeConfirm(true);
    });
    confirmBox.append(question, yes, no);
    remove.hidden = true;
    remove.after(confirmBox);
    no.focus();
  }

  function wire(button) {
    button.addEventListener("click", openConfirm);
  }

  if (remove) wire(remove);

  return {
    /** Show the owner's controls to whoever owns the room now, and to nobody else. */
    update(isOwner) {
      if (isOwner && !remove) {
        remove = element("button", {
          type: "button",
          id: "delete-room",
          className: "danger",
          textContent: t("deleteRoom"),
        });
        wire(remove);
        exit.before(remove);
      } else if (!isOwner && remove) {
        closeConfirm(false);
        remove.remove();
        remove = null;
      }
    },
  };
}
