// receipt-verify-wasm: one ES module for browsers and Node 20+.
// Importing it loads the WebAssembly (top-level await); then every function is synchronous.
import init from './receipt_verify_wasm.js';

export { verify, manifest, fingerprint, inspect, RowVerifier } from './receipt_verify_wasm.js';

const wasmUrl = new URL('./receipt_verify_wasm_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions && process.versions.node) {
  // Node's fetch cannot read file: URLs, so read the bytes directly.
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}
