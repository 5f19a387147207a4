// The embed's WebAssembly (dist/embed/, built by scripts/web.sh) holds the widget and its
// own copy of the verification core, which its worker calls. That core must answer exactly
// as the package (pkg/) does: same inspect and same report for every examples/ file. The
// embed has no RustCrypto: it checks signatures with WebCrypto (verifyAsync), and without
// WebCrypto it checks none and says so.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import * as pkg from '../../pkg/index.js';
import { finishAsync, withWebCrypto, NO_WEBCRYPTO } from '../../dist/embed/webcrypto.js';
import { examples, file, root } from './helpers.mjs';

const embed = await import('../../dist/embed/embed.js');
// Starting the module runs the widget's entry point, which finds no document here and
// mounts nothing.
await embed.default({ module_or_path: readFileSync(join(root, 'dist/embed/embed_bg.wasm')) });
const verifyAsync = withWebCrypto(embed);
const sameApartFromBackend = (a, b, what) => assert.deepEqual({ ...a, backend: '-' }, { ...b, backend: '-' }, what);

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test("the embed's core gives the package's inspect and report for every examples/ file", async () => {
  let compared = 0;
  for (const f of walk(examples).map((p) => relative(root, p)).sort()) {
    const bytes = readFileSync(join(root, f));
    const inspection = pkg.inspect(bytes);
    assert.deepEqual(embed.inspect(bytes), inspection, f);
    compared++;
    if (['keys', 'unknown'].includes(inspection.kind)) continue;
    const input =
      inspection.kind === 'row-export'
        ? { receipts: [file('examples/receipts.jsonl')], keys: [file('examples/jwks.json')], rows: file(f) }
        : { receipts: [file(f)], keys: [file('examples/jwks.json')] };
    const report = pkg.verify(input);
    const fromEmbed = await verifyAsync(input);
    assert.equal(fromEmbed.backend, 'webcrypto');
    sameApartFromBackend(fromEmbed, report, f);
    compared++;
  }
  console.log(`embed core: ${compared} inspect and verify results identical to pkg/`);
  assert.ok(compared > 10, `only ${compared} comparisons`);
});

test("the embed's RowVerifier streams like the package's", async () => {
  const receipts = [file('examples/receipts.jsonl')];
  const keys = [file('examples/jwks.json')];
  const rows = readFileSync(join(root, 'examples/rows.jsonl'));
  const run = (api) => {
    const v = new api.RowVerifier(receipts, keys, 'rows.jsonl');
    for (let at = 0; at < rows.length; at += 777) v.push(rows.subarray(at, at + 777));
    return v;
  };
  const report = await run(embed).finishAsync();
  sameApartFromBackend(report, run(pkg).finish());
  assert.equal(report.verdict, 'verified');
});

test('without WebCrypto the embed verifies nothing, and says so', async () => {
  const input = { receipts: [file('examples/receipts.jsonl')], keys: [file('examples/jwks.json')] };
  assert.equal(embed.canVerifyWithoutWebCrypto(), false, 'the embed is built without RustCrypto');
  await assert.rejects(finishAsync(new embed.Verification(input), embed, null), { message: NO_WEBCRYPTO });
  // Its synchronous verify has no backend: every signature is "not checked", never verified.
  const report = embed.verify(input);
  assert.equal(report.verdict, 'failed');
  assert.match(report.backend, /^none/);
  const sigs = report.checks.filter((c) => c.id === 'receipt.signature');
  assert.ok(sigs.length > 0 && sigs.every((c) => c.status === 'fail' && c.actual === 'not checked'));
  assert.equal(pkg.verify(input).verdict, 'verified', 'positive control: the package verifies it');
});
