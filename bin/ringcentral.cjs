#!/usr/bin/env node
// Thin shim over the build output: everything else lives in dist/. CommonJS on purpose: Node starts
// a CommonJS entry faster than an ES module one, and that start is all `--version` and `--help` cost.
'use strict';
// process.stdout is opened (and its EPIPE handled) in dist/main.cjs, only when it is needed.
require('../dist/main.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
