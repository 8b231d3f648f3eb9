// eslint for the project's own browser scripts (app/static/js), run by `make lint`.
// The vendored simple-keyboard build (app/static/vendor) is someone else's code: not linted.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["app/static/vendor/**", "node_modules/**", ".venv/**", "instance/**"] },
  {
    files: ["app/static/js/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
      strict: ["error", "function"],
      "no-implicit-globals": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-alert": "error",
      "no-console": "error",
      // The kiosk handles every link itself; replacing browser APIs hides bugs (issue 10).
      "no-restricted-properties": ["error",
        { object: "window", property: "open", message: "Use a link; kiosk.js handles links." }],
      complexity: ["error", 12],
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["eslint.config.js"],
    ...js.configs.recommended,
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
