#!/usr/bin/env node
// Thin shim over the build output: everything else lives in dist/. CommonJS on purpose: Node starts
// a CommonJS entry faster than an ES module one, and that start is all `--version` and `--help` cost.
'use strict';
// A reader that went away (`| head -n 1`, `| true`) is a normal end: no trace, nothing more written.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
require('../dist/main.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
