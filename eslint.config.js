// ESLint for kamdocs' browser script, run by .ci/run (`npx eslint kamdocs/assets eslint.config.js`).
// The versions are pinned by package-lock.json; `npm ci` installs them into node_modules/, which
// git ignores and the Python package never holds.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    // Decap CMS, vendored from npm as its authors built it (kamdocs/assets/editor/README.md): not ours to lint.
    ignores: ["kamdocs/assets/editor/**"],
  },
  {
    // kamdocs.js is a classic script, not a module: MkDocs loads it with a plain <script src>.
    files: ["kamdocs/assets/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "script",
      globals: { ...globals.browser },
    },
  },
  {
    // search-worker.js runs as a web worker (Material's search box starts it): importScripts too.
    files: ["kamdocs/assets/search-worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["eslint.config.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "commonjs",
      globals: { ...globals.node },
    },
  },
];
