// The component package's runtime entry (package.json `main`); index.ts next to it declares what it exports,
// and is what Pulumi's schema inference reads.
//
// Pulumi's nodejs plugin runner registers ts-node with type-checking on and compiler options of its own: it
// reads tsconfig.json from the *consuming program's* directory, and without one it checks against the ES2020
// library, where this repository's code (checked against ES2022 by `npm run typecheck`) does not compile. So the
// TypeScript sources are loaded through tsx instead, scoped to this package, with this folder's tsconfig: what
// `npm start` and the tests run, unchanged whatever the consumer's directory holds.
"use strict";
const path = require("node:path");

const previous = process.env.TSX_TSCONFIG_PATH;
process.env.TSX_TSCONFIG_PATH = path.join(__dirname, "tsconfig.json");
const tsx = require("tsx/cjs/api").register({ namespace: "virtual-agent-component-package" });
if (previous === undefined) delete process.env.TSX_TSCONFIG_PATH;
else process.env.TSX_TSCONFIG_PATH = previous;

module.exports = tsx.require("./index.ts", __filename);
