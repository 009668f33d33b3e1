// Stands in for node-fetch inside the bundle: @ringcentral/sdk requires it at load time only to have
// defaults, and the CLI always hands it Node's own fetch (src/api/platform.ts). Bundling the real
// node-fetch would also pull in the deprecated punycode module, which warns outside node_modules.
const fetch = (...args) => globalThis.fetch(...args);
module.exports = fetch;
module.exports.default = fetch;
module.exports.Headers = globalThis.Headers;
module.exports.Request = globalThis.Request;
module.exports.Response = globalThis.Response;
