// `make lint` for the page scripts: ES modules in the browser, with the vendored Socket.IO
// client's global io().
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.browser, io: "readonly" },
    },
  },
];
