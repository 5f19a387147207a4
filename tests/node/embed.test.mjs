// The embed's WebAssembly (dist/embed/, built by scripts/web.sh) holds the widget and its
// own copy of the verification core, which its worker calls. That core must answer exactly
// as the package (pkg/) does: same inspect and same report for every examples/ file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import * as pkg from '../../pkg/index.js';
import { examples, file, root } from './helpers.mjs';

const embed = await import('../../dist/embed/embed.js');
// Starting the module runs the widget's entry point, which finds no document here and
// mounts nothing.
await embed.default({ module_or_path: readFileSync(join(root, 'dist/embed/embed_bg.wasm')) });

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test("the embed's core gives the package's inspect and report for every examples/ file", () => {
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
    assert.deepEqual(embed.verify(input), report, f);
    compared++;
  }
  console.log(`embed core: ${compared} inspect and verify results identical to pkg/`);
  assert.ok(compared > 10, `only ${compared} comparisons`);
});

test("the embed's RowVerifier streams like the package's", () => {
  const receipts = [file('examples/receipts.jsonl')];
  const keys = [file('examples/jwks.json')];
  const rows = readFileSync(join(root, 'examples/rows.jsonl'));
  const run = (api) => {
    const v = new api.RowVerifier(receipts, keys, 'rows.jsonl');
    for (let at = 0; at < rows.length; at += 777) v.push(rows.subarray(at, at + 777));
    return v.finish();
  };
  const report = run(embed);
  assert.deepEqual(report, run(pkg));
  assert.equal(report.verdict, 'verified');
});
