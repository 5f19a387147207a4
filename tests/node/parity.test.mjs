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
  // The CLI checks signatures with OpenSSL, the WASM `verify` with RustCrypto: the reports
  // are identical apart from the member naming the backend (SPEC §12), so this compares
  // every mutation case across the two backends too.
  const report = JSON.parse(native.stdout);
  assert.equal(report.backend, 'openssl');
  assert.equal(wasm.backend, 'rustcrypto');
  const { backend: _n, ...nativeRest } = report;
  const { backend: _w, ...wasmRest } = wasm;
  return { native: nativeRest, wasm: wasmRest, code: native.code };
}

const exampleFiles = walk(examples).map((p) => relative(root, p)).sort();

test('every examples/ file: verify, inspect, manifest and fingerprint match the CLI', () => {
  // Each counter is bumped only after its comparison passed, and is checked against a
  // count taken from the data: the kinds the CLI's own `inspect` gives the files.
  const done = { inspect: 0, fingerprint: 0, verify: 0, manifest: 0 };
  const want = { inspect: exampleFiles.length, fingerprint: 0, verify: 0, manifest: 0 };
  const kinds = new Set();
  for (const f of exampleFiles) {
    const nativeInspect = JSON.parse(cli(['inspect', '--json', f]).stdout)[0];
    delete nativeInspect.file;
    const kind = nativeInspect.kind;
    kinds.add(kind);
    if (kind === 'keys') want.fingerprint++;
    else if (kind !== 'unknown') want.verify++;
    if (kind === 'receipt') want.manifest++;
    assert.deepEqual(inspect(readFileSync(join(root, f))), nativeInspect, f);
    done.inspect++;
    if (kind === 'keys') {
      assert.equal(fingerprint(readFileSync(join(root, f))), cli(['fingerprint', f]).stdout.trimEnd(), f);
      done.fingerprint++;
      continue;
    }
    if (kind === 'unknown') continue;
    const inputs =
      kind === 'row-export'
        ? { receipts: ['examples/receipts.jsonl'], keys: ['examples/jwks.json'], rows: f }
        : { receipts: [f], keys: ['examples/jwks.json'] };
    const { native, wasm } = both(inputs, root);
    assert.deepEqual(wasm, native, f);
    done.verify++;
    if (kind === 'receipt') {
      assert.equal(manifest(readFileSync(join(root, f), 'utf8')), cli(['manifest', f]).stdout, f);
      done.manifest++;
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
  assert.equal(all.native.verdict, 'verified', 'the whole demo set is a positive control');
  console.log(`parity: examples/ comparisons identical: ${JSON.stringify(done)}`);
  assert.deepEqual(done, want);
  // The examples exercise every path compared here.
  for (const k of ['keys', 'receipt', 'receipt-chain', 'approvals', 'row-export']) assert.ok(kinds.has(k), `no examples/ file of kind ${k}`);
});

test('every mutation case: the WASM report equals the CLI --json report', () => {
  const corpus = process.env.RECEIPT_PARITY_CORPUS;
  assert.ok(corpus && existsSync(corpus), 'set RECEIPT_PARITY_CORPUS to the folder `cargo test` wrote (scripts/test.sh does)');
  const cases = readdirSync(corpus).sort();
  const specs = cases.map((name) => [name, JSON.parse(readFileSync(join(corpus, name, 'case.json'), 'utf8'))]);
  // The CLI needs at least one receipt file; the WASM API's empty input is tested on its own.
  const runnable = specs.filter(([, spec]) => spec.receipts.length > 0);
  const verdicts = { verified: 0, failed: 0 };
  for (const [name, spec] of runnable) {
    const dir = join(corpus, name);
    const { native, wasm, code } = both({ receipts: spec.receipts, keys: spec.keys, rows: spec.rows ?? undefined }, dir);
    assert.deepEqual(wasm, native, name);
    assert.equal(code, native.verdict === 'verified' ? 0 : 1, `${name}: exit code and verdict disagree`);
    verdicts[native.verdict]++;
  }
  const compared = verdicts.verified + verdicts.failed;
  console.log(`parity: ${compared} mutation cases identical (${verdicts.failed} failed verification, ${verdicts.verified} verified)`);
  assert.equal(compared, runnable.length);
  // The corpus holds both outcomes: positive controls and caught mutations.
  assert.ok(verdicts.verified > 0 && verdicts.failed > 0, JSON.stringify(verdicts));
  assert.ok(runnable.length >= 60, `only ${runnable.length} cases were written`);
});
