// Stands in for child_process inside commander: it needs it only to run executable subcommands,
// which the CLI has none of, and loading Node's child_process (with net and stream) at start-up
// costs milliseconds on every command. The real module is loaded on first use.
module.exports = new Proxy({}, { get: (_target, name) => require('node:child_process')[name] });
