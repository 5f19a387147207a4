// The bad-input corpus (issue 9 §5) through the WASM package in Node: every case of
// tests/bad-inputs/cases.json gives the expected outcome (exit 2 ⇔ verify throws; otherwise
// the verdict, the exact set of failed check ids and the key words). Cases named in
// tests/bad-inputs/pending.txt wait for rules not yet in the core; one that passes must be
// removed from that list, as in the CLI runner (tests/bad_inputs.rs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { verify } from '../../pkg/index.js';
import { root } from './helpers.mjs';

const dir = join(root, 'tests/bad-inputs');
const manifest = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
const pending = new Set(
  readFileSync(join(dir, 'pending.txt'), 'utf8')
    .split('\n')
    .map((l) => l.split('#')[0].trim())
    .filter(Boolean),
);

const named = (path) => ({ name: path, data: new Uint8Array(readFileSync(join(dir, path))) });

/** The outcome of one case through WASM: { exit, verdict, failed, text }. */
function outcome(c) {
  const pick = (role) => c.files.filter((f) => f.role === role).map((f) => named(f.path));
  const rows = pick('rows');
  try {
    const report = verify({ receipts: pick('receipts'), keys: pick('keys'), rows: rows[0] });
    const failed = [...new Set(report.checks.filter((k) => k.status === 'fail').map((k) => k.id))].sort();
    const exit = report.verdict === 'verified' ? 0 : 1;
    return { exit, verdict: report.verdict, failed, text: JSON.stringify(report) };
  } catch (e) {
    return { exit: 2, verdict: null, failed: [], text: String(e?.message ?? e) };
  }
}

/** Why a case's outcome differs from the manifest, or '' when it does not. */
function problems(c) {
  const got = outcome(c);
  const want = c.expect;
  const out = [];
  if (got.exit !== want.exit) out.push(`exit ${got.exit}, expected ${want.exit} (${got.text.slice(0, 200)})`);
  if (got.verdict !== want.verdict) out.push(`verdict ${got.verdict}, expected ${want.verdict}`);
  if (JSON.stringify(got.failed) !== JSON.stringify(want.failed)) out.push(`failed ${got.failed}, expected ${want.failed}`);
  // Key words must come from the message, not from a file name that happens to hold them.
  const lower = c.files.reduce((t, f) => t.split(f.path).join('<file>'), got.text).toLowerCase();
  for (const k of want.keywords) if (!lower.includes(k.toLowerCase())) out.push(`output lacks ${JSON.stringify(k)}`);
  return out.join('; ');
}

test('every bad-input case answers as cases.json says (WASM)', () => {
  const names = new Set(manifest.cases.map((c) => c.name));
  for (const p of pending) assert.ok(names.has(p), `pending.txt names a case that does not exist: ${p}`);
  let ran = 0;
  let asExpected = 0;
  const wrong = [];
  for (const c of manifest.cases) {
    ran += 1;
    const why = problems(c);
    if (!why && !pending.has(c.name)) asExpected += 1;
    // A pending case about the CLI's human output (humanMustNotContain) can pass here: WASM prints none.
    else if (!why && c.expect.humanMustNotContain.length === 0) wrong.push(`${c.name}: passes now, remove it from pending.txt`);
    else if (!why) asExpected += 1;
    else if (!pending.has(c.name)) wrong.push(`${c.name}: ${why}`);
  }
  console.log(`bad-inputs (WASM): ${ran} cases ran, ${asExpected} as the manifest says, ${ran - asExpected - wrong.length} pending`);
  assert.ok(ran >= 90, `only ${ran} cases ran`);
  assert.ok(asExpected > 0, 'no case answered as expected');
  assert.deepEqual(wrong, []);
});
