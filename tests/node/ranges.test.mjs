// The range API the page's workers use (web/worker.js): an export cut at line starts, each
// range read by its own RowRangeReader (as another worker would, in another instance),
// handed over as bytes and joined in file order with RowVerifier.addRange, gives the
// report of RowVerifier over the whole stream. Negative controls: an edited row in the
// second range, a broken link exactly at a cut, a row sealed only in a later range.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { RowVerifier, RowRangeReader, wasmMemoryBytes } from '../../pkg/index.js';
import { examples } from './helpers.mjs';

const receipts = [{ name: 'receipts.jsonl', data: readFileSync(join(examples, 'receipts.jsonl')) }];
const keys = [{ name: 'jwks.json', data: readFileSync(join(examples, 'jwks.json')) }];
const rowsText = readFileSync(join(examples, 'rows.jsonl'), 'utf8');
const enc = new TextEncoder();

function oneStream(text) {
  const v = new RowVerifier(receipts, keys, 'rows.jsonl');
  v.push(enc.encode(text));
  return v.finish();
}

/** Cut `text` before lines `at` (line indices), read range 0 in the verifier itself and
 * every other range in its own reader, taking a summary every `every` lines. */
function inRanges(text, at, every = Infinity) {
  const lines = text.split(/(?<=\n)/);
  const bounds = [0, ...at, lines.length];
  const v = new RowVerifier(receipts, keys, 'rows.jsonl');
  const heads = v.headSet();
  assert.equal(heads.length % 32, 0);
  v.push(enc.encode(lines.slice(bounds[0], bounds[1]).join('')));
  for (let k = 1; k + 1 < bounds.length; k++) {
    const r = new RowRangeReader('rows.jsonl', false, heads);
    const part = lines.slice(bounds[k], bounds[k + 1]);
    for (let i = 0; i < part.length; i++) {
      r.push(enc.encode(part[i]));
      if ((i + 1) % every === 0) v.addRange(r.takeSummary());
    }
    assert.equal(r.rowsRead(), part.filter((l) => l.trim()).length);
    v.addRange(r.finish());
    r.free();
  }
  return v.finish();
}

const failing = (report) => [...new Set(report.checks.filter((c) => c.status === 'fail').map((c) => c.id))].sort();

test('ranges joined in file order give the one-stream report', () => {
  const whole = oneStream(rowsText);
  assert.equal(whole.verdict, 'verified', 'positive control');
  const n = rowsText.split('\n').length - 1;
  for (const cuts of [[1], [n >> 1], [3, 50, 51, 200], [n - 1], [10, 20, 30, 40, 50, 60, 70]]) {
    assert.deepEqual(inRanges(rowsText, cuts), whole, `cuts ${cuts}`);
    assert.deepEqual(inRanges(rowsText, cuts, 7), whole, `cuts ${cuts}, a summary every 7 lines`);
  }
});

test('an edited row in range 2 fails rows.hash, at its line in the whole file', () => {
  const lines = rowsText.split('\n');
  lines[150] = lines[150].replace('"seq":', '"edited":true,"seq":');
  const edited = lines.join('\n');
  const whole = oneStream(edited);
  const joined = inRanges(edited, [100, 140]);
  assert.deepEqual(joined, whole);
  assert.ok(failing(joined).includes('rows.hash'));
  assert.ok(joined.checks.some((c) => c.id === 'rows.hash' && c.subject.line === 151));
});

test('a link broken exactly at a cut is found by the join', () => {
  const lines = rowsText.split('\n');
  lines.splice(120, 1); // the row before the cut is gone: the row at the cut links to nothing
  const cutLinks = lines.join('\n');
  const joined = inRanges(cutLinks, [120]);
  assert.deepEqual(joined, oneStream(cutLinks));
  assert.ok(joined.checks.some((c) => c.id === 'rows.link' && c.status === 'fail' && c.subject.line === 121));
  assert.ok(joined.checks.some((c) => c.id === 'rows.seq' && c.status === 'fail' && c.subject.line === 121));
});

test('a head row moved into a later range is out of order there, as in one pass', () => {
  const lines = rowsText.split('\n').filter((l) => l);
  // The first sealed head's row, moved to the end: found only in the last range.
  const heads = readFileSync(join(examples, 'receipts.jsonl'), 'utf8').split('\n').filter((l) => l)
    .map((l) => JSON.parse(l).batchHead);
  const at = lines.findIndex((l) => l.includes(`"thisHash":"${heads[0]}"`));
  assert.ok(at > 0);
  const [moved] = lines.splice(at, 1);
  lines.push(moved);
  const text = `${lines.join('\n')}\n`;
  const joined = inRanges(text, [Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3)]);
  assert.deepEqual(joined, oneStream(text));
  assert.equal(joined.verdict, 'failed');
  assert.ok(failing(joined).includes('rows.head'));
});

test('summary bytes no reader wrote are refused; memory is measurable', () => {
  const v = new RowVerifier(receipts, keys, 'rows.jsonl');
  assert.throws(() => v.addRange(new Uint8Array([9, 9, 9])), /row range's summary/);
  assert.throws(() => new RowRangeReader('rows.jsonl', false, new Uint8Array(31)), /32-byte hashes/);
  const r = new RowRangeReader('rows.jsonl', false, v.headSet());
  r.finish();
  assert.throws(() => r.push(new Uint8Array(1)), /has finished/);
  v.free();
  const bytes = wasmMemoryBytes();
  assert.ok(bytes >= 65536 && bytes % 65536 === 0, `${bytes}`);
});

test('a reader asks to hand over once the findings it holds keep megabytes alive (red team 03)', () => {
  const v = new RowVerifier(receipts, keys, 'rows.jsonl');
  // Positive control: the honest export, read as one range, never holds enough to ask.
  const honest = new RowRangeReader('rows.jsonl', false, v.headSet());
  honest.push(enc.encode(rowsText));
  assert.equal(honest.wantsHandOver(), false);
  honest.free();
  // wave.consumed rows keep their strings (here 200 KB each) until the join takes them:
  // few rows, far from any count of findings, but megabytes.
  const big = `{"action":"wave.consumed","customerId":"cust-0042","waveId":"${'w'.repeat(200_000)}"}\n`;
  const r = new RowRangeReader('rows.jsonl', false, v.headSet());
  let asked = 0;
  for (let i = 0; i < 60; i++) {
    r.push(enc.encode(big));
    if (r.wantsHandOver()) {
      asked += 1;
      v.addRange(r.takeSummary());
      assert.equal(r.wantsHandOver(), false, 'taken: nothing held');
    }
  }
  // 60 rows of 200 KB: about 12 MB, handed over at every 4 MiB.
  assert.ok(asked >= 2 && asked <= 3, `asked ${asked} times`);
  r.free();
  v.free();
});
