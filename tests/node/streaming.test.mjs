// Receipt files read in slices (`verifyFiles`, crates/wasm/js/webcrypto.js; the page's
// worker uses it for every verify): exactly the report of `verify` (RustCrypto, files whole)
// on every mutation case of the parity corpus and on damaged chains, fed as Blobs in slices
// small enough to cut items and lines anywhere; and the streaming API's order, length,
// cancel and progress rules.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { verify, verifyFiles, Verification } from '../../pkg/index.js';
import { cli, examples } from './helpers.mjs';

const bytes = (dir, name) => new Uint8Array(readFileSync(join(dir, name)));
const withoutBackend = (report) => ({ ...report, backend: '-' });

/**
 * `verify` on whole bytes and `verifyFiles` on Blobs of the same bytes, in `slice`-byte
 * slices, with WebCrypto and with RustCrypto (`subtle: null`): the same report each time
 * (the backend's name aside for WebCrypto). Returns the verdict. `rustCryptoToo: false`
 * leaves out the streamed RustCrypto run (slow on thousands of signatures).
 */
async function same(input, slice, label, rustCryptoToo = true) {
  const whole = verify({
    receipts: input.receipts.map((f) => ({ ...f })),
    keys: input.keys,
    rows: input.rows,
  });
  const blobs = {
    receipts: input.receipts.map((f) => ({ ...f, data: new Blob([f.data]) })),
    keys: input.keys,
    rows: input.rows && { ...input.rows, data: new Blob([input.rows.data]) },
  };
  const viaWebCrypto = await verifyFiles(blobs, { slice });
  assert.equal(viaWebCrypto.backend, 'webcrypto', label);
  assert.deepEqual(withoutBackend(viaWebCrypto), withoutBackend(whole), `${label} (webcrypto, slice ${slice})`);
  if (rustCryptoToo) {
    const viaRustCrypto = await verifyFiles(blobs, { slice: slice + 13, subtle: null });
    assert.deepEqual(viaRustCrypto, whole, `${label} (rustcrypto, slice ${slice + 13})`);
  }
  return whole.verdict;
}

const named = (dir, names) => names.map((name) => ({ name, data: bytes(dir, name) }));

test('every mutation case of the parity corpus: streamed in slices, the report of verify', async () => {
  const corpus = process.env.RECEIPT_PARITY_CORPUS;
  assert.ok(corpus && existsSync(corpus), 'set RECEIPT_PARITY_CORPUS to the folder `cargo test` wrote (scripts/test.sh does)');
  const cases = readdirSync(corpus).sort();
  const verdicts = { verified: 0, failed: 0 };
  for (const name of cases) {
    const dir = join(corpus, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const input = {
      receipts: named(dir, spec.receipts),
      keys: named(dir, spec.keys),
      rows: spec.rows ? { name: spec.rows, data: bytes(dir, spec.rows) } : undefined,
    };
    verdicts[await same(input, 1000, name)]++;
  }
  const compared = verdicts.verified + verdicts.failed;
  console.log(`streaming: ${compared} mutation cases identical (${verdicts.failed} failed, ${verdicts.verified} verified)`);
  assert.equal(compared, cases.length);
  assert.ok(cases.length >= 60, `only ${cases.length} cases were written`);
  assert.ok(verdicts.verified > 0 && verdicts.failed > 0, JSON.stringify(verdicts));
});

/** The demo chain, its lines damaged in the ways a chain can be. */
function damagedChains() {
  const text = readFileSync(join(examples, 'receipts.jsonl'), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const join_ = (ls) => ls.join('\n') + '\n';
  const edited = JSON.parse(lines[2]);
  edited.batchSize += 1;
  return {
    'a receipt removed': join_([...lines.slice(0, 2), ...lines.slice(3)]),
    'two receipts swapped': join_([lines[0], lines[2], lines[1], ...lines.slice(3)]),
    'a receipt repeated': join_([...lines.slice(0, 3), lines[2], ...lines.slice(3)]),
    'a receipt edited': join_([...lines.slice(0, 2), JSON.stringify(edited), ...lines.slice(3)]),
    'the last line cut short': text.slice(0, text.length - 40),
    'a line of garbage in the middle': join_([...lines.slice(0, 3), '{"alg":', ...lines.slice(3)]),
    'no newline at the end': text.trimEnd(),
    'CRLF line ends': lines.join('\r\n') + '\r\n',
  };
}

test('damaged chains: streamed in slices of 1 to 1,000 bytes, the report of verify; each fails', async () => {
  const keys = named(examples, ['jwks.json']);
  let compared = 0;
  const damaged = Object.entries(damagedChains());
  for (const [label, text] of damaged) {
    const input = { receipts: [{ name: 'receipts.jsonl', data: new TextEncoder().encode(text) }], keys };
    for (const slice of [1, 37, 1000]) {
      const verdict = await same(input, slice, `${label}, slice ${slice}`);
      const tolerated = label === 'no newline at the end' || label === 'CRLF line ends';
      assert.equal(verdict, tolerated ? 'verified' : 'failed', label);
      compared++;
    }
  }
  assert.equal(compared, damaged.length * 3);
});

test('positive control: the honest demo set verifies when streamed, rows and all', async () => {
  const input = {
    receipts: named(examples, ['receipts.jsonl', 'approvals.json']),
    keys: named(examples, ['jwks.json', 'audit-key.pub.pem']),
    rows: { name: 'rows.jsonl', data: bytes(examples, 'rows.jsonl') },
  };
  assert.equal(await same(input, 1000, 'demo set'), 'verified');
  // A file read as receipts whatever its shape (the chip's choice) has no shape pass.
  const asReceipts = { ...input, receipts: input.receipts.map((f) => ({ ...f, role: 'receipts' })) };
  assert.equal(await same(asReceipts, 999, 'demo set as receipts'), 'verified');
  // A row export given as receipts is refused as a whole, streamed or not.
  const misfiled = { receipts: named(examples, ['rows.jsonl']), keys: input.keys };
  assert.equal(await same(misfiled, 4096, 'rows as receipts'), 'failed');
});

test('a chain longer than a window of signatures: the same report, honest and with one receipt edited', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-stream-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // 4,500 receipts: more than one window (4,096 signatures), so rounds run between slices.
  const made = cli(['demo', '--receipts', '4500', '--out', dir]);
  assert.equal(made.code, 0, made.stderr);
  const chain = bytes(dir, 'receipts.jsonl');
  const keys = named(dir, ['jwks.json']);
  const honest = { receipts: [{ name: 'receipts.jsonl', data: chain }], keys };
  assert.equal(await same(honest, 1 << 20, 'long chain', false), 'verified');
  const text = new TextDecoder().decode(chain);
  const at = text.indexOf('"batchSize":', text.length >> 1) + '"batchSize":'.length;
  const edited = text.slice(0, at) + '9' + text.slice(at);
  const damaged = { receipts: [{ name: 'receipts.jsonl', data: new TextEncoder().encode(edited) }], keys };
  assert.equal(await same(damaged, 1 << 20, 'long chain, one receipt edited', false), 'failed');
  // A backend that breaks while the next slices are read: verifyFiles rejects with its error.
  const broken = {
    importKey: () => {
      throw new Error('the backend broke');
    },
    verify: async () => true,
  };
  const blobs = { receipts: [{ name: 'receipts.jsonl', data: new Blob([chain]) }], keys };
  await assert.rejects(verifyFiles(blobs, { slice: 64 << 10, subtle: broken }), /the backend broke/);
});

test('progress counts every byte the passes read; cancel between slices resolves to null', async () => {
  const receipts = named(examples, ['receipts.jsonl']);
  const rows = { name: 'rows.jsonl', data: bytes(examples, 'rows.jsonl') };
  const size = receipts[0].data.length;
  const seen = [];
  const report = await verifyFiles({ receipts, keys: named(examples, ['jwks.json']), rows }, {
    slice: 1000,
    onProgress: (p) => seen.push(p),
  });
  assert.equal(report.verdict, 'verified');
  const last = seen.at(-1);
  // Three passes over the receipt file (shape, items, chain), then the export once.
  assert.equal(last.total, 3 * size + rows.data.length);
  assert.equal(last.done, last.total);
  assert.equal(last.receipts, 6);
  assert.equal(last.rows, 302);
  assert.ok(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done), 'progress never goes back');
  // Cancelled after the fifth slice: no report, and the asking stops there.
  let asked = 0;
  const cancelled = () => ++asked > 5;
  assert.equal(await verifyFiles({ receipts, keys: named(examples, ['jwks.json']), rows }, { slice: 1000, cancelled }), null);
  assert.equal(asked, 6);
});

test('the streaming API refuses passes out of order, wrong lengths and bad arguments', () => {
  const keys = named(examples, ['jwks.json']);
  const chain = bytes(examples, 'receipts.jsonl');
  const v = Verification.start(keys);
  assert.throws(() => v.beginReceiptFile('r', chain.length, null, 'items'), /shape pass first/);
  assert.throws(() => v.beginReceiptFile('r', chain.length, null, 'all'), /a pass is "shape", "items" or "chain"/);
  assert.throws(() => v.beginReceiptFile('r', chain.length, 'rows', 'shape'), /role must be "receipts"/);
  assert.throws(() => v.beginReceiptFile('r', 1.5, null, 'shape'), /whole number of bytes/);
  v.beginReceiptFile('r', chain.length, null, 'shape');
  v.pushReceipts(chain.subarray(0, 10));
  // Fewer bytes than announced: refused, naming both counts.
  assert.throws(() => v.endReceiptFile(), /10/);
  v.free();
  // Fed right, the report is verify's.
  const w = Verification.start(keys);
  for (const pass of ['shape', 'items', 'chain']) {
    w.beginReceiptFile('receipts.jsonl', chain.length, null, pass);
    w.pushReceipts(chain);
    w.endReceiptFile();
    // A file's shape pass is followed by its items pass, nothing else.
    if (pass === 'shape') assert.throws(() => w.beginReceiptFile('x', 1, null, 'shape'), /items pass first/);
  }
  w.endReceipts();
  assert.equal(w.receiptsRead(), 6);
  const report = w.finish();
  assert.deepEqual(report, verify({ receipts: [{ name: 'receipts.jsonl', data: chain }], keys }));
  assert.equal(report.verdict, 'verified');
  assert.throws(() => w.pushReceipts(chain), /finished/);
});

test('an unusable key file or a bad file value: verifyFiles refuses as verify throws', async () => {
  const receipts = named(examples, ['receipts.jsonl']);
  const badKey = [{ name: 'bad.pem', data: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }];
  let message;
  assert.throws(() => verify({ receipts, keys: badKey }), (e) => ((message = e.message), /bad\.pem/.test(e.message)));
  await assert.rejects(verifyFiles({ receipts: receipts.map((f) => ({ ...f, data: new Blob([f.data]) })), keys: badKey }), { message });
  await assert.rejects(verifyFiles({ receipts: [42], keys: [] }), /expected a file/);
  for (const role of ['rows', null, 0, '']) {
    const file = { name: 'r', data: '{}', role };
    assert.throws(() => verify({ receipts: [file], keys: [] }), /role must be "receipts"/, `verify, role ${role}`);
    await assert.rejects(verifyFiles({ receipts: [{ ...file, data: new Blob(['{}']) }], keys: [] }), /role must be "receipts"/, `role ${role}`);
  }
  // An honest input next to them still verifies (the refusals above are not a refuse-all).
  assert.equal((await verifyFiles({ receipts, keys: named(examples, ['jwks.json']) })).verdict, 'verified');
});

// A File that is rewritten on disk between the passes (SPEC.md §15, v1.1): a Blob whose
// bytes are `first` for the first `reads` slices read, then `later`.
class ChangingBlob extends Blob {
  constructor(first, later, reads) {
    super([first]);
    [this.first, this.later, this.reads] = [first, later, reads];
  }
  slice(start, end) {
    this.reads -= 1;
    return new Blob([this.reads >= 0 ? this.first : this.later]).slice(start, end);
  }
}

test('a receipt file whose passes read different bytes is refused, WebCrypto or not', async () => {
  const chain = readFileSync(join(examples, 'receipts.jsonl'));
  const keys = [{ name: 'jwks.json', data: readFileSync(join(examples, 'jwks.json')) }];
  // Same length, one receipt's batchSize edited: its fields checked in one version and its
  // signature in the other would otherwise mix two files.
  const edited = Buffer.from(chain.toString('latin1').replace('"batchSize":48', '"batchSize":49'), 'latin1');
  assert.equal(edited.length, chain.length);
  assert.notDeepEqual(edited, chain);
  const slice = 1000;
  const slices = Math.ceil(chain.length / slice);
  let refused = 0;
  for (const subtle of [globalThis.crypto.subtle, null]) {
    // Changed after the shape pass, and after the items pass.
    for (const reads of [slices, 2 * slices]) {
      const data = new ChangingBlob(chain, edited, reads);
      const input = { receipts: [{ name: 'receipts.jsonl', data }], keys };
      await assert.rejects(verifyFiles(input, { slice, subtle }), /receipts\.jsonl changed while it was read/);
      refused += 1;
    }
    // Positive control: the same Blob unchanged verifies.
    const steady = new ChangingBlob(chain, chain, slices);
    const report = await verifyFiles({ receipts: [{ name: 'receipts.jsonl', data: steady }], keys }, { slice, subtle });
    assert.equal(report.verdict, 'verified');
  }
  assert.equal(refused, 4);
});

test('a receipt file not read in full: endReceipts and beginRows throw, the report fails input.read (red team 13)', () => {
  const keys = named(examples, ['jwks.json']);
  const lines = readFileSync(join(examples, 'receipts.jsonl'), 'utf8').split(/(?<=\n)/);
  // Receipts 1-3 and 4-6; receipt 5 edited after signing.
  const tampered = JSON.parse(lines[4]);
  tampered.batchSize += 1;
  const files = [lines.slice(0, 3).join(''), [lines[3], `${JSON.stringify(tampered)}\n`, lines[5]].join('')]
    .map((text, i) => ({ name: `${'ab'[i]}.jsonl`, data: new TextEncoder().encode(text) }));
  const feed = (lastPass) => {
    const v = Verification.start(keys);
    const plan = [[0, 'shape'], [0, 'items'], [1, 'shape'], [1, 'items'], [0, 'chain'], [1, 'chain']];
    for (const [i, pass] of plan) {
      const { name, data } = files[i];
      if (i === 1 && pass === 'chain' && lastPass === 'never') continue;
      v.beginReceiptFile(name, data.length, null, pass);
      const fed = i === 1 && pass === 'chain' && lastPass === 'short' ? data.subarray(0, lines[3].length) : data;
      v.pushReceipts(fed);
      while (!v.isDone()) v.answerHere();
      if (fed === data) v.endReceiptFile();
      else assert.throws(() => v.endReceiptFile(), /bytes announced/);
    }
    return v;
  };
  const failed = (report) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  // Controls: fed whole, the tampered receipt is found.
  const whole = feed('whole');
  whole.endReceipts();
  assert.deepEqual(failed(whole.finish()).sort(), ['receipt.hash', 'receipt.signature']);
  for (const lastPass of ['never', 'short']) {
    const v = feed(lastPass);
    assert.throws(() => v.endReceipts(), lastPass === 'never' ? /b\.jsonl was not read in full: its chain pass was never fed/ : /b\.jsonl changed/);
    const report = v.finish();
    assert.equal(report.verdict, 'failed', lastPass);
    assert.deepEqual(failed(report), ['input.read'], lastPass);
    assert.match(report.checks.find((c) => c.id === 'input.read').message, /"b\.jsonl" was not read in full/);
    // Going on to the rows after the error does not help.
    const w = feed(lastPass);
    assert.throws(() => w.beginRows('rows.jsonl'), /b\.jsonl/);
    assert.deepEqual(failed(w.finish()), ['input.read'], 'refused before it was taken: the report still says why');
  }
  // Red team 15: a chain pass padded to the file's length reads fewer items than the first pass.
  const v = Verification.start(keys);
  for (const [i, pass] of [[0, 'shape'], [0, 'items'], [1, 'shape'], [1, 'items'], [0, 'chain'], [1, 'chain']]) {
    const { name, data } = files[i];
    v.beginReceiptFile(name, data.length, null, pass);
    const padded = i === 1 && pass === 'chain';
    v.pushReceipts(padded ? new TextEncoder().encode(lines[3].padEnd(data.length, ' ')) : data);
    while (!v.isDone()) v.answerHere();
    if (padded) assert.throws(() => v.endReceiptFile(), /its chain pass read 1 items, its first pass 3/);
    else v.endReceiptFile();
  }
  assert.deepEqual(failed(v.finish()), ['input.read']);
});
