// Parity: the WASM build (run here in Node) and the native CLI give exactly the same JSON
// report for every file in examples/ and every mutation case of the core's test suite
// (written to $RECEIPT_PARITY_CORPUS by `cargo test`), and the same inspect, manifest and
// fingerprint output.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { verify, manifest, fingerprint, inspect } from '../../pkg/index.js';
import { cli, examples, file, root } from './helpers.mjs';

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** CLI `verify --json` and WASM `verify` on the same named inputs, in `cwd`. */
function both({ receipts, keys, rows }, cwd) {
  const args = ['verify', '--json', ...keys.flatMap((k) => ['--key', k]), ...(rows ? ['--rows', rows] : []), ...receipts];
  const native = cli(args, cwd);
  assert.ok(native.code === 0 || native.code === 1, `CLI exit ${native.code}: ${native.stderr}`);
  const wasm = verify({
    receipts: receipts.map((n) => file(n, cwd)),
    keys: keys.map((n) => file(n, cwd)),
    rows: rows ? file(rows, cwd) : undefined,
  });
  return { native: JSON.parse(native.stdout), wasm, code: native.code };
}

const exampleFiles = walk(examples).map((p) => relative(root, p)).sort();

test('every examples/ file: verify, inspect, manifest and fingerprint match the CLI', () => {
  let compared = 0;
  for (const f of exampleFiles) {
    const kind = inspect(readFileSync(join(root, f))).kind;
    const nativeInspect = JSON.parse(cli(['inspect', '--json', f]).stdout)[0];
    delete nativeInspect.file;
    assert.deepEqual(inspect(readFileSync(join(root, f))), nativeInspect, f);
    compared++;
    if (kind === 'keys') {
      assert.equal(fingerprint(readFileSync(join(root, f))), cli(['fingerprint', f]).stdout.trimEnd(), f);
      continue;
    }
    if (kind === 'unknown') continue;
    const inputs =
      kind === 'row-export'
        ? { receipts: ['examples/receipts.jsonl'], keys: ['examples/jwks.json'], rows: f }
        : { receipts: [f], keys: ['examples/jwks.json'] };
    const { native, wasm } = both(inputs, root);
    assert.deepEqual(wasm, native, f);
    compared++;
    if (kind === 'receipt') {
      assert.equal(manifest(readFileSync(join(root, f), 'utf8')), cli(['manifest', f]).stdout, f);
    }
  }
  // The whole demo set at once, with the PEM key as well.
  const all = both(
    {
      receipts: ['examples/receipts.jsonl', 'examples/approvals.json'],
      keys: ['examples/jwks.json', 'examples/audit-key.pub.pem'],
      rows: 'examples/rows.jsonl',
    },
    root,
  );
  assert.deepEqual(all.wasm, all.native);
  console.log(`parity: ${compared} examples/ comparisons identical`);
  assert.ok(compared >= exampleFiles.length);
});

test('every mutation case: the WASM report equals the CLI --json report', () => {
  const corpus = process.env.RECEIPT_PARITY_CORPUS;
  assert.ok(corpus && existsSync(corpus), 'set RECEIPT_PARITY_CORPUS to the folder `cargo test` wrote (scripts/test.sh does)');
  const cases = readdirSync(corpus).sort();
  let failed = 0;
  let compared = 0;
  for (const name of cases) {
    const dir = join(corpus, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    // The CLI needs at least one receipt file; the WASM API's empty input is tested on its own.
    if (spec.receipts.length === 0) continue;
    compared++;
    const { native, wasm } = both({ receipts: spec.receipts, keys: spec.keys, rows: spec.rows ?? undefined }, dir);
    assert.deepEqual(wasm, native, name);
    if (native.verdict === 'failed') failed++;
  }
  console.log(`parity: ${compared} mutation cases identical (${failed} of them failed verification, as their tests expect)`);
  assert.ok(compared >= 60, `only ${compared} cases`);
});
