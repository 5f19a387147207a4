// verifyAsync (WebCrypto, crates/wasm/js/webcrypto.js) against verify (RustCrypto, in the
// module): the same report, apart from `backend`, on every examples/ input, every
// bad-input case and every mutation case; and what happens when WebCrypto is missing,
// cannot check a key, or a driver miscounts. The Wycheproof vectors run through both
// backends in crates/wasm/tests/webcrypto_parity.rs (Node and Chromium).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import * as api from '../../pkg/index.js';
import { finishAsync, NO_WEBCRYPTO } from '../../pkg/webcrypto.js';
import { examples, root } from './helpers.mjs';

const { verify, verifyAsync, Verification, RowVerifier } = api;
const withoutBackend = (report) => ({ ...report, backend: '-' });
const read = (dir, path) => ({ name: path, data: new Uint8Array(readFileSync(join(dir, path))) });

/** Both backends' outcomes for one input: reports, or the same thrown message. */
async function both(input) {
  let sync;
  try {
    sync = verify(input());
  } catch (e) {
    assert.throws(() => verifyAsync(input()), { message: e.message }, 'verifyAsync throws as verify does');
    return { thrown: e.message };
  }
  const async_ = await verifyAsync(input());
  assert.equal(sync.backend, 'rustcrypto');
  assert.equal(async_.backend, 'webcrypto');
  assert.deepEqual(withoutBackend(async_), withoutBackend(sync));
  return { verdict: sync.verdict };
}

const demo = () => ({
  receipts: [read(examples, 'receipts.jsonl'), read(examples, 'approvals.json')],
  keys: [read(examples, 'jwks.json')],
  rows: read(examples, 'rows.jsonl'),
});

test('the demo set: verifyAsync gives verify\'s report, checked by WebCrypto', async () => {
  assert.ok(globalThis.crypto?.subtle, 'Node 20 has crypto.subtle');
  const { verdict } = await both(demo);
  assert.equal(verdict, 'verified', 'positive control');
  const tampered = () => ({ receipts: [read(examples, 'tampered/receipt-edited.json')], keys: [read(examples, 'jwks.json')] });
  assert.equal((await both(tampered)).verdict, 'failed');
});

test('every bad-input case: verifyAsync and verify agree', async () => {
  const dir = join(root, 'tests/bad-inputs');
  const { cases } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
  const tally = { verified: 0, failed: 0, thrown: 0 };
  for (const c of cases) {
    const pick = (role) => c.files.filter((f) => f.role === role).map((f) => read(dir, f.path));
    const input = () => ({ receipts: pick('receipts'), keys: pick('keys'), rows: pick('rows')[0] });
    const got = await both(input);
    tally[got.thrown ? 'thrown' : got.verdict] += 1;
  }
  console.log(`webcrypto parity: ${cases.length} bad-input cases identical ${JSON.stringify(tally)}`);
  assert.ok(cases.length >= 90 && tally.verified > 0 && tally.failed > 0 && tally.thrown > 0, JSON.stringify(tally));
});

test('every mutation case: verifyAsync and verify agree', async () => {
  const corpus = process.env.RECEIPT_PARITY_CORPUS;
  assert.ok(corpus && existsSync(corpus), 'set RECEIPT_PARITY_CORPUS to the folder `cargo test` wrote (scripts/test.sh does)');
  const tally = { verified: 0, failed: 0, thrown: 0 };
  const names = readdirSync(corpus).sort();
  for (const name of names) {
    const dir = join(corpus, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const input = () => ({
      receipts: spec.receipts.map((p) => read(dir, p)),
      keys: spec.keys.map((p) => read(dir, p)),
      rows: spec.rows ? read(dir, spec.rows) : undefined,
    });
    const got = await both(input);
    tally[got.thrown ? 'thrown' : got.verdict] += 1;
  }
  console.log(`webcrypto parity: ${names.length} mutation cases identical ${JSON.stringify(tally)}`);
  assert.ok(names.length >= 60 && tally.verified > 0 && tally.failed > 0, JSON.stringify(tally));
});

test('RowVerifier.finishAsync gives finish\'s report', async () => {
  const make = () => {
    const v = new RowVerifier(demo().receipts, demo().keys, 'rows.jsonl');
    v.push(readFileSync(join(examples, 'rows.jsonl')));
    return v;
  };
  const sync = make().finish();
  const async_ = await make().finishAsync();
  assert.equal(async_.backend, 'webcrypto');
  assert.deepEqual(withoutBackend(async_), withoutBackend(sync));
  assert.equal(sync.verdict, 'verified');
});

test('without WebCrypto: RustCrypto answers, or a build without it refuses and says why', async () => {
  const report = await finishAsync(new Verification(demo()), api, null);
  assert.equal(report.backend, 'rustcrypto');
  assert.equal(report.verdict, 'verified');
  const noRustCrypto = { ...api, canVerifyWithoutWebCrypto: () => false };
  await assert.rejects(finishAsync(new Verification(demo()), noRustCrypto, null), { message: NO_WEBCRYPTO });
});

test('a WebCrypto that cannot check a key: every signature fails as not checked, never as a mismatch', async () => {
  const broken = {
    importKey: () => Promise.reject(new Error('NotSupportedError')),
    verify: () => Promise.resolve(true),
  };
  const report = await finishAsync(new Verification(demo()), api, broken);
  assert.equal(report.verdict, 'failed');
  const sigs = report.checks.filter((c) => c.id === 'receipt.signature' || c.id === 'approval.signature');
  assert.ok(sigs.length >= 6);
  for (const c of sigs) {
    assert.equal(c.status, 'fail');
    assert.equal(c.actual, 'not checked');
    assert.match(c.message, /was not checked/);
  }
  const throwing = { importKey: (...a) => globalThis.crypto.subtle.importKey(...a), verify: () => Promise.reject(new Error('OperationError')) };
  const again = await finishAsync(new Verification(demo()), api, throwing);
  assert.ok(again.checks.filter((c) => c.id === 'receipt.signature').every((c) => c.actual === 'not checked'));
});

test('a driver that miscounts is refused, and the report then passes nothing', () => {
  const v = new Verification(demo());
  const n = v.pendingCount();
  assert.ok(n > 0);
  assert.throws(() => v.submit(new Uint8Array(n - 1).fill(1)), /returned \d+ outcomes for \d+ signature jobs/);
  assert.throws(() => v.submit(new Uint8Array(n + 1).fill(1)), /outcomes for/);
  assert.throws(() => v.submit(new Uint8Array(n).fill(7)), /unknown outcome 7/);
  assert.equal(v.pendingCount(), n, 'nothing changed');
  const jobs = v.jobs(0, n);
  assert.equal(jobs.key.length, n);
  assert.equal(jobs.messageIndex.length, n);
  assert.ok(jobs.messageEnd.length >= 1 && jobs.messageEnd.length <= n);
  const report = v.report('unanswered');
  assert.equal(report.verdict, 'failed');
  assert.equal(report.backend, 'unanswered');
  assert.throws(() => v.pendingCount() === 0 && v.report('again'), /finished/);
  v.free();
});

test('jobs that try one signature under many keys share one copy of its message (red team 04)', async () => {
  // A receipt whose signature fails under its named key is tried under every other key in
  // round 2: one job per key, all over the same signed bytes. The window must carry those
  // bytes once, not once per key (an 8 MB wave under 256 keys took 8 GB before).
  const line = readFileSync(join(examples, 'receipts.jsonl'), 'utf8').split('\n')[0];
  const receipt = JSON.parse(line);
  receipt.signature = (receipt.signature[0] === 'A' ? 'B' : 'A') + receipt.signature.slice(1);
  const extra = [];
  for (let i = 0; i < 4; i++) {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    extra.push({ ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: `other/${i}`, use: 'sig' });
  }
  const enc = (s) => new TextEncoder().encode(s);
  const input = () => ({
    receipts: [{ name: 'bad.json', data: enc(JSON.stringify(receipt)) }],
    keys: [read(examples, 'jwks.json'), { name: 'others.json', data: enc(JSON.stringify({ keys: extra })) }],
  });
  const v = new Verification(input());
  v.submit(new Uint8Array(v.pendingCount()).fill(0)); // round 1: the named key says no
  const n = v.pendingCount();
  assert.ok(n >= 4, `round 2 tries the other RSA keys (${n} jobs)`);
  const jobs = v.jobs(0, n);
  assert.equal(jobs.key.length, n);
  assert.equal(jobs.messageEnd.length, 1, 'one message for every job of the signature');
  assert.deepEqual([...jobs.messageIndex], new Array(n).fill(0));
  assert.equal(jobs.message.length, jobs.messageEnd[0]);
  v.free();
  // And the report through WebCrypto is the report through RustCrypto.
  assert.equal((await both(input)).verdict, 'failed');
});
