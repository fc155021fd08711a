// "Mina is typing…": I tell the room, or whom I whisper to, while I type (a few events, never
// one per key), and show who else is, summarised past two, gone a few seconds after they stop
// or send.
import { menuLabel, spoken, twoVoices } from "./people.js";
import { rt } from "./room-strings.js";

const RESEND_MS = 2500; // while typing, "still typing" this often
const IDLE_MS = 4000; // no key for this long: I stopped
const FORGET_MS = 6000; // someone unheard from for this long: they stopped

export function setupTyping({ socket, input, indicator }) {
  const whisperTo = document.getElementById("whisper-to"); // whisper.js's addressee, or ""
  let sentAt = 0;
  let idle = null;
  let typing = false;
  let sentTo = ""; // whom I last said I am typing to: "" is the whole room

  function emit(on, to) {
    socket.emit("typing", to ? { on, to } : { on });
  }

  // Typing a whisper is told to its addressee only: the room does not learn of it.
  function tell(on) {
    if (!socket.connected) return;
    const to = whisperTo?.value || "";
    if (typing && sentTo !== to) emit(false, sentTo); // told elsewhere before: over there
    emit(on, to);
    typing = on;
    sentTo = to;
    sentAt = on ? Date.now() : 0;
  }

  function stop() {
    clearTimeout(idle);
    if (typing && socket.connected) emit(false, sentTo);
    typing = false;
    sentAt = 0;
  }

  input.addEventListener("input", () => {
    if (!input.value.trim()) return stop();
    const moved = typing && sentTo !== (whisperTo?.value || ""); // whisper mode began or ended
    if (!typing || moved || Date.now() - sentAt > RESEND_MS) tell(true);
    clearTimeout(idle);
    idle = setTimeout(stop, IDLE_MS);
  });
  input.addEventListener("blur", stop);
  whisperTo?.addEventListener("change", () => typing && tell(true));

  const typists = new Map(); // handle → {person, timer}

  function sentence(labels) {
    return labels.length === 1 ? rt("typingOne", { who: labels[0] }) :
      labels.length === 2 ? rt("typingTwo", { first: labels[0], second: labels[1] }) :
      rt("typingMany", { count: String(labels.length) });
  }

  // Seen with the color's code beside a name, heard with the name or "Guest" and a color word.
  function show() {
    const people = [...typists.values()].map((typist) => typist.person);
    if (!people.length) return indicator.replaceChildren();
    const seen = sentence(people.map((person) => menuLabel(person)));
    indicator.replaceChildren(...twoVoices(seen, sentence(people.map((person) => spoken(person)))));
  }

  function forget(key) {
    const typist = typists.get(key);
    if (!typist) return;
    clearTimeout(typist.timer);
    typists.delete(key);
    show();
  }

  // Typists are told apart by handle: two people may share a color, and even a name.
  const keyOf = (person) => person.handle || person.user + " " + (person.name || "");

  socket.on("typing", (data) => {
    if (!data || typeof data.user !== "string") return;
    const key = keyOf(data);
    forget(key);
    if (data.on !== true) return;
    const person = { handle: data.handle, name: data.name, color: data.user };
    typists.set(key, { person, timer: setTimeout(() => forget(key), FORGET_MS) });
    show();
  });

  return {
    /** I sent my message; or someone's message arrived: they are no longer typing. */
    sent: stop,
    heard(chat) {
      forget(keyOf(chat));
    },
  };
}
