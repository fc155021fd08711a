// Every string the scripts show, in each language the site speaks.
(function () {
  "use strict";
  const STRINGS = {
    ko: {
      join: "{color}님이 입장하셨습니다.",
      exit: "{color}님이 퇴장하셨습니다.",
      gifFrom: "{color}님의 GIF",
      newMessages: "새 메시지",
      roomDeleted: "방이 삭제되었습니다.",
      confirmDelete: "이 방을 삭제할까요?",
      uploading: "업로드 중…",
      failed: "요청이 실패했습니다. 다시 시도해 주세요.",
      secret: "비밀방",
      public: "공개방",
      enter: "입장",
      loadingOlder: "이전 메시지를 불러오는 중…",
    },
    en: {
      join: "{color} joined.",
      exit: "{color} left.",
      gifFrom: "GIF from {color}",
      newMessages: "New messages",
      roomDeleted: "The room was deleted.",
      confirmDelete: "Delete this room?",
      uploading: "Uploading…",
      failed: "The request failed. Please try again.",
      secret: "Secret",
      public: "Public",
      enter: "Enter",
      loadingOlder: "Loading older messages…",
    },
  };
  const lang = STRINGS[document.documentElement.lang] ? document.documentElement.lang : "ko";

  window.t = function (key, vars) {
    const text = STRINGS[lang][key] || STRINGS.ko[key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (vars && name in vars ? vars[name] : match));
  };
  window.csrfToken = function () {
    return document.querySelector('meta[name="csrf-token"]').content;
  };
})();
