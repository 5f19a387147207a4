// receipt-verify-wasm: one ES module for browsers and Node 20+.
// Importing it loads the WebAssembly (top-level await). `verify` is synchronous (RustCrypto,
// in the module); `verifyAsync` checks signatures with WebCrypto where there is one.
import init, * as api from './receipt_verify_wasm.js';
import { verifyFilesWith, withWebCrypto } from './webcrypto.js';

export {
  verify, manifest, fingerprint, inspect, inspectHead, RowVerifier, RowRangeReader, Verification, canVerifyWithoutWebCrypto,
  wasmMemoryBytes,
} from './receipt_verify_wasm.js';

const wasmUrl = new URL('./receipt_verify_wasm_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions && process.versions.node) {
  // Node's fetch cannot read file: URLs, so read the bytes directly.
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

/** Like `verify`, with signatures checked by WebCrypto (RustCrypto where it is missing). */
export const verifyAsync = withWebCrypto(api);

/** Like `verifyAsync`, with every file (`Blob`s too) read in slices: bounded memory for any size. */
export const verifyFiles = (input, options) => verifyFilesWith(api, input, options);
