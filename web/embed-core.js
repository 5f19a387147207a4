// The embed's WebAssembly, started: one module holds the widget and the verification core.
// The loader imports it on the host page (which mounts the widgets); the worker imports it
// for verify/inspect/RowVerifier (worker.js?core=embed-core.js). The browser fetches the
// file once for both.
import init, * as api from './embed.js';
import { verifyFilesWith, withWebCrypto } from './webcrypto.js';

// No RowRangeReader: the embed is built without the `ranges` feature and reads an export on
// one worker (worker.js starts no range workers without it).
export { verify, inspect, inspectHead, RowVerifier, wasmMemoryBytes } from './embed.js';

await init({ module_or_path: new URL('./embed_bg.wasm', import.meta.url) });

/** `verify` with signatures checked by WebCrypto (crates/wasm/js/webcrypto.js). */
export const verifyAsync = withWebCrypto(api);

/** Receipts and rows read in slices (crates/wasm/js/webcrypto.js `verifyFilesWith`). */
export const verifyFiles = (input, options) => verifyFilesWith(api, input, options);
