#!/usr/bin/env node
// Thin shim over the build output: everything else lives in dist/.
import module from 'node:module';

module.enableCompileCache?.();
const { run } = await import('../dist/cli.js');
process.exitCode = await run(process.argv.slice(2));
