// The WASM package's JS API in Node: verify, manifest, fingerprint, inspect, RowVerifier,
// errors as JS Errors with the core's messages, and silence on the console.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { verify, manifest, fingerprint, inspect, RowVerifier } from '../../pkg/index.js';
import { examples, file } from './helpers.mjs';

const text = (name) => readFileSync(join(examples, name), 'utf8');
const bytes = (name) => new Uint8Array(readFileSync(join(examples, name)));

test('verify accepts strings, Uint8Arrays and {name, data}', () => {
  const fromStrings = verify({ receipts: [text('receipts.jsonl')], keys: [text('jwks.json')] });
  const fromBytes = verify({ receipts: [bytes('receipts.jsonl')], keys: [bytes('jwks.json')] });
  assert.equal(fromStrings.verdict, 'verified');
  assert.deepEqual(fromBytes, fromStrings);
  assert.equal(fromStrings.checks[0].subject.file, 'receipt-1');
  const named = verify({ receipts: [file('examples/receipts.jsonl')], keys: [file('examples/jwks.json')], rows: file('examples/rows.jsonl') });
  assert.equal(named.verdict, 'verified');
  assert.equal(named.keys[0].source, 'examples/jwks.json');
  assert.ok(named.checks.some((c) => c.id === 'rows.unsealed' && c.status === 'warn'));
});

test('report v2: the passes of a check id are one entry with their count and first and last places', () => {
  const r = verify({ receipts: [file('examples/receipts.jsonl')], keys: [file('examples/jwks.json')] });
  assert.equal(r.format, 'receipt-report/v2');
  assert.equal(r.verdict, 'verified');
  const passes = r.checks.filter((c) => c.status === 'pass');
  assert.equal(new Set(passes.map((c) => c.id)).size, passes.length, 'one pass entry per check id');
  const sig = passes.find((c) => c.id === 'receipt.signature');
  assert.equal(sig.count, 6);
  assert.deepEqual([sig.subject.index, sig.last.index], [0, 5]);
  const weight = (status) => r.checks.filter((c) => c.status === status).reduce((n, c) => n + (c.count ?? 1), 0);
  for (const status of ['pass', 'fail', 'warn', 'note']) assert.equal(r.summary[status], weight(status), status);
  assert.ok(passes.every((c) => Number.isInteger(c.count) && c.count >= 1 && (c.count === 1) === (c.last === undefined)));
});

test('a tampered receipt fails with place, expected and actual', () => {
  const r = verify({ receipts: [file('examples/tampered/receipt-edited.json')], keys: [file('examples/jwks.json')] });
  assert.equal(r.verdict, 'failed');
  const fails = r.checks.filter((c) => c.status === 'fail');
  // No signature verified at all, so verdict.signature fails too (SPEC §12, v1.1).
  assert.deepEqual(fails.map((c) => c.id).sort(), ['receipt.hash', 'receipt.signature', 'verdict.signature']);
  // verdict.signature concerns the whole input: it has no file or pointer.
  for (const c of fails.filter((f) => f.id !== 'verdict.signature')) {
    assert.equal(c.subject.file, 'examples/tampered/receipt-edited.json');
    assert.ok(c.subject.pointer && c.expected && c.actual, JSON.stringify(c));
  }
});

test('manifest, fingerprint and inspect', () => {
  const first = text('receipts.jsonl').split('\n')[0];
  const m = manifest(first);
  assert.ok(!m.includes('thisHash') && !m.includes('"signature"'));
  assert.ok(m.startsWith('{"alg":"RS256","batchHead":"0x'));
  assert.equal(fingerprint(text('audit-key.pub.pem')), '8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17');
  assert.equal(fingerprint(text('jwks.json')).split('\n').length, 4);
  // A kid with a line break cannot add a forged "fingerprint  kid" line.
  const jwks = JSON.parse(text('jwks.json'));
  jwks.keys[0].kid = 'x\n' + '0'.repeat(64) + '  kv-premium/keys/audit-2026/2\u202e';
  const lines = fingerprint(JSON.stringify(jwks)).split('\n');
  assert.equal(lines.length, 4);
  assert.ok(lines[0].endsWith('  x\\n' + '0'.repeat(64) + '  kv-premium/keys/audit-2026/2\\u{202e}'), lines[0]);
  assert.deepEqual(
    ['receipts.jsonl', 'approvals.json', 'rows.jsonl', 'jwks.json', 'tampered/receipt-edited.json'].map((n) => inspect(bytes(n)).kind),
    ['receipt-chain', 'approvals', 'row-export', 'keys', 'receipt'],
  );
  const chain = inspect(text('receipts.jsonl'));
  assert.equal(chain.label, 'chain of 6 receipts (cust-0042)');
  const key = inspect(text('audit-key.pub.pem'));
  assert.equal(key.keys[0].fingerprint, '8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17');
  const junk = inspect('hello, world');
  assert.equal(junk.kind, 'unknown');
  assert.match(junk.reason, /neither JSON nor a PEM or DER key/);
});

test('errors are JS Errors carrying the core message; no panic reaches JS', () => {
  assert.throws(() => manifest(text('receipts.jsonl')), { name: 'Error', message: 'expected exactly one receipt, found 6' });
  assert.throws(() => fingerprint('not a key'), { name: 'Error', message: /not a key file/ });
  assert.throws(() => verify({ receipts: [], keys: [text('audit-key.pem')] }), {
    name: 'Error',
    message: 'unusable key file key-1: this is a private key; give the verifier only the public key (for example: openssl pkey -in key.pem -pubout)',
  });
  assert.throws(() => verify({ receipts: 'nope', keys: [] }), { name: 'Error', message: /expected an array/ });
  assert.throws(() => verify({ receipts: [42], keys: [] }), { name: 'Error', message: /expected a file/ });
  assert.throws(() => verify(undefined), { name: 'Error', message: 'expected { receipts, keys, rows? }' });
  const empty = verify({ receipts: [], keys: [] });
  assert.equal(empty.verdict, 'failed');
  assert.deepEqual(empty.checks.map((c) => c.id), ['input.empty', 'verdict.signature']);
  for (const junk of ['', '{', '[1,2', '\u0000', 'x'.repeat(10000), '{"type":"wave-approval"}', '{"keys":[]}']) {
    assert.doesNotThrow(() => inspect(junk));
    assert.doesNotThrow(() => verify({ receipts: [junk], keys: [text('jwks.json')] }));
  }
});

test('RowVerifier streams in chunks of any size and matches verify()', () => {
  const receipts = [file('examples/receipts.jsonl')];
  const keys = [file('examples/jwks.json')];
  const rows = bytes('rows.jsonl');
  const whole = verify({ receipts, keys, rows: { name: 'rows.jsonl', data: rows } });
  for (const size of [1, 3, 7, 64, 1000, rows.length]) {
    const v = new RowVerifier(receipts, keys, 'rows.jsonl');
    for (let i = 0; i < rows.length; i += size) v.push(rows.subarray(i, i + size));
    assert.deepEqual(v.finish(), whole, `chunk size ${size}`);
    assert.throws(() => v.push(new Uint8Array([1])), { message: /finished/ });
  }
});

test('UTF-8 sequences split across chunks', () => {
  const rows = text('rows.jsonl').split('\n').slice(0, 3).join('\n').replaceAll('svc-deploy', 'zoë ✓ 🚀');
  const enc = new TextEncoder().encode(rows);
  const whole = (() => {
    const v = new RowVerifier([], []);
    v.push(enc);
    return v.finish();
  })();
  for (let size = 1; size <= 5; size++) {
    const v = new RowVerifier([], []);
    for (let i = 0; i < enc.length; i += size) v.push(enc.subarray(i, i + size));
    assert.deepEqual(v.finish(), whole);
  }
  // The edited rows no longer match their hashes: the verifier saw the real characters.
  assert.ok(whole.checks.some((c) => c.id === 'rows.hash' && c.status === 'fail'));
});

test('nothing is written to the console on a normal run', () => {
  const calls = [];
  const saved = {};
  for (const m of ['log', 'info', 'warn', 'error', 'debug']) {
    saved[m] = console[m];
    console[m] = (...a) => calls.push([m, ...a]);
  }
  try {
    verify({ receipts: [text('receipts.jsonl'), text('approvals.json')], keys: [text('jwks.json')], rows: text('rows.jsonl') });
    verify({ receipts: [text('tampered/receipt-edited.json')], keys: [text('jwks.json')] });
    inspect(text('jwks.json'));
    try { manifest('{'); } catch { /* expected */ }
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(calls, []);
});
