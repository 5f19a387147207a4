// Shared helpers for the Node tests of the WASM package (pkg/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const examples = join(root, 'examples');
export const receiptBin = process.env.RECEIPT_BIN ?? join(root, 'target/debug/receipt');

/** Run the native `receipt` CLI; returns { code, stdout, stderr }. */
export function cli(args, cwd = root) {
  try {
    const stdout = execFileSync(receiptBin, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `{ name, data }` for a file, named as given (relative to `base`). */
export function file(name, base = root) {
  return { name, data: readFileSync(join(base, name)) };
}
