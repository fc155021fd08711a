// Every string the scripts show, in each language the site speaks (the page's <html lang>).
const STRINGS = {
  ko: {
    join: "{color}님이 입장하셨습니다.",
    exit: "{color}님이 퇴장하셨습니다.",
    owner: "{color}님이 새 방장이 되었습니다.",
    kick: "{color}님이 강퇴되었습니다.",
    gifFrom: "{color}님의 GIF",
    roomDeleted: "방이 삭제되었습니다. 잠시 후 목록으로 돌아갑니다.",
    kicked: "방에서 강퇴되었습니다. 잠시 후 목록으로 돌아갑니다.",
    deleteRoom: "방 삭제",
    confirmDelete: "정말 삭제할까요?",
    reallyDelete: "삭제",
    cancel: "취소",
    uploading: "업로드 중…",
    tooLarge: "GIF는 5MB까지 올릴 수 있습니다.",
    notGif: "GIF 이미지만 올릴 수 있습니다.",
    failed: "요청이 실패했습니다. 다시 시도해 주세요.",
    offline: "연결이 끊겼습니다. 다시 연결하는 중…",
    secret: "비밀방",
    public: "공개방",
    enter: "입장",
    playGif: "GIF 재생",
    pauseGif: "GIF 정지",
    whisperTo: "귓속말 → {color}",
    whisperToMe: "나에게 온 귓속말",
    whisper: "귓속말",
    whisperLabel: "{color}님에게 귓속말",
    kickButton: "강퇴",
    kickLabel: "{color}님 강퇴",
    ownerBadge: "방장",
    you: "나",
  },
  en: {
    join: "{color} joined.",
    exit: "{color} left.",
    owner: "{color} is now the owner.",
    kick: "{color} was removed from the room.",
    gifFrom: "GIF from {color}",
    roomDeleted: "The room was deleted. Back to the lobby in a moment.",
    kicked: "You were removed from the room. Back to the lobby in a moment.",
    deleteRoom: "Delete room",
    confirmDelete: "Really delete?",
    reallyDelete: "Delete",
    cancel: "Cancel",
    uploading: "Uploading…",
    tooLarge: "A GIF can be at most 5 MB.",
    notGif: "Only GIF images can be uploaded.",
    failed: "The request failed. Please try again.",
    offline: "Connection lost. Reconnecting…",
    secret: "Secret",
    public: "Public",
    enter: "Enter",
    playGif: "Play GIF",
    pauseGif: "Pause GIF",
    whisperTo: "Whisper to {color}",
    whisperToMe: "Whispered to you",
    whisper: "Whisper",
    whisperLabel: "Whisper to {color}",
    kickButton: "Remove",
    kickLabel: "Remove {color}",
    ownerBadge: "Owner",
    you: "you",
  },
};

export const lang = STRINGS[document.documentElement.lang] ? document.documentElement.lang : "ko";

/** The string `key` in the page's language, with {name} placeholders filled from `vars`. */
export function t(key, vars) {
  const text = STRINGS[lang][key] || STRINGS.ko[key] || key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (vars && name in vars ? vars[name] : match));
}

export function has(key) {
  return key in STRINGS[lang];
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}
