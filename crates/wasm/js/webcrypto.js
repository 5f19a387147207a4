// WebCrypto for receipt-verify-wasm: `finishAsync(verification, api)` answers a
// `Verification`'s signature jobs with `crypto.subtle` (browsers in secure contexts, Node
// 20+), round after round, and returns the report. The core has prepared every job (RSA
// length checked, ES256 as r ‖ s with r, s in range), so WebCrypto only says valid or not;
// a key it cannot import, or a verify that throws, is "unavailable" (reported as not
// checked), never a mismatch. Without `crypto.subtle` it falls back to the module's own
// RustCrypto backend, or, in a build without it, refuses with a message that says why.

const INVALID = 0;
const VALID = 1;
const UNAVAILABLE = 2;

// By the core's alg code: 0 RS256, 1 PS256, 2 ES256 (RFC 7518 §3.1; PS256 salt 32 bytes).
const ALGS = [
  { key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' } },
  { key: { name: 'RSA-PSS', hash: 'SHA-256' }, verify: { name: 'RSA-PSS', saltLength: 32 } },
  { key: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
];

// Jobs handed to WebCrypto at once: bounds the promises in flight, whatever the number of
// receipts (the module also bounds a window's message bytes).
export const WINDOW = 1024;

export const NO_WEBCRYPTO =
  'this browser offers no WebCrypto (crypto.subtle exists only on https:// or localhost pages), ' +
  'and this build of the verifier has no other way to check signatures: nothing was verified';

/** The report of `verification`, its signatures checked with WebCrypto where there is one. */
export async function finishAsync(verification, api, subtle = globalThis.crypto?.subtle, imported = new Map()) {
  try {
    if (!subtle) {
      if (api.canVerifyWithoutWebCrypto()) return verification.finish();
      throw new Error(NO_WEBCRYPTO);
    }
    await answerRounds(verification, subtle, imported);
    return verification.report('webcrypto');
  } finally {
    // After a trap (e.g. out of memory) free() throws too; the first error is the one to see.
    try {
      verification.free();
    } catch {}
  }
}

/** Answer `verification`'s pending rounds with WebCrypto until none is left. */
async function answerRounds(verification, subtle, imported) {
  const keys = verification.keys();
  while (!verification.isDone()) {
    const total = verification.pendingCount();
    const outcomes = new Uint8Array(total);
    // A window may hold fewer jobs than asked for (its messages are bounded in bytes).
    for (let start = 0; start < total; ) {
      const jobs = verification.jobs(start, Math.min(total, start + WINDOW));
      if (jobs.key.length === 0) throw new Error('the verifier handed over no jobs for a window');
      outcomes.set(await answerJobs(subtle, keys, jobs, imported), start);
      start += jobs.key.length;
    }
    verification.submit(outcomes);
  }
}

/**
 * WebCrypto's answer (0 invalid, 1 valid, 2 unavailable) to each job of one window
 * (`Verification.jobs`), all in flight at once. `imported` caches one import per key
 * (fingerprint) and algorithm across windows and rounds.
 */
export async function answerJobs(subtle, keys, jobs, imported = new Map()) {
  const keyFor = (index, alg) => {
    const id = `${keys[index].fingerprint}/${alg}`;
    if (!imported.has(id)) {
      imported.set(id, subtle.importKey('spki', keys[index].spki, ALGS[alg].key, false, ['verify']).catch(() => null));
    }
    return imported.get(id);
  };
  const answers = [];
  for (let i = 0; i < jobs.key.length; i++) {
    const alg = jobs.alg[i];
    // Jobs trying one signature under several keys share one message (`messageIndex`).
    const m = jobs.messageIndex[i];
    const message = jobs.message.subarray(m ? jobs.messageEnd[m - 1] : 0, jobs.messageEnd[m]);
    const signature = jobs.signature.subarray(i ? jobs.signatureEnd[i - 1] : 0, jobs.signatureEnd[i]);
    answers.push(
      (ALGS[alg] && keys[jobs.key[i]] ? keyFor(jobs.key[i], alg) : Promise.resolve(null)).then(async (key) => {
        if (!key) return UNAVAILABLE;
        try {
          return (await subtle.verify(ALGS[alg].verify, key, signature, message)) ? VALID : INVALID;
        } catch {
          return UNAVAILABLE;
        }
      }),
    );
  }
  return Uint8Array.from(await Promise.all(answers));
}

/** Adds `verifyAsync` and `RowVerifier.prototype.finishAsync` to a module's exports. */
export function withWebCrypto(api) {
  api.RowVerifier.prototype.finishAsync = function finishAsyncRows() {
    return finishAsync(this.intoVerification(), api);
  };
  return (input) => {
    // A bad input throws here, synchronously, as `verify` does; the promise is for the rest.
    const verification = new api.Verification(input);
    return finishAsync(verification, api);
  };
}

// ---- receipt files and a row export read in slices (SPEC.md §15, "Receipt streaming") ----

/** Bytes read from a file at a time. */
export const SLICE = 4 << 20;

const isBlob = (data) => typeof Blob !== 'undefined' && data instanceof Blob;
const sizeOf = (data) => (isBlob(data) ? data.size : data.length);
const sliceOf = async (data, start, end) =>
  isBlob(data) ? new Uint8Array(await data.slice(start, end).arrayBuffer()) : data.subarray(start, end);

/** `{name, data, role}` of a file given as `string | Uint8Array | Blob | {name, data, role?}`. */
function fileOf(file, defaultName) {
  const named = file !== null && typeof file === 'object' && !(file instanceof Uint8Array) && !isBlob(file);
  let data = named ? file.data : file;
  if (typeof data === 'string') data = new TextEncoder().encode(data);
  if (!(data instanceof Uint8Array) && !isBlob(data)) {
    throw new Error('expected a file: a string, a Uint8Array, a Blob, or {name, data}');
  }
  const name = named ? file.name : defaultName;
  if (typeof name !== 'string') throw new Error('expected a file: a string, a Uint8Array, a Blob, or {name, data}');
  const role = named ? file.role : undefined;
  // As `verify` (red team 6: a role of null was read as absent here, refused there).
  if (role !== undefined && role !== 'receipts') throw new Error('a file\'s role must be "receipts" or absent');
  return { name, data, role };
}

// The passes over one receipt file before any chain pass: a file read as receipts whatever
// its shape has no shape pass.
const firstPasses = (file) => (file.role === 'receipts' ? ['items'] : ['shape', 'items']);

/**
 * Feed receipt files to `Verification.start(keys)`, each in its passes (shape, items, then
 * every file's chain pass), `options.slice` bytes at a time, answering each window's jobs
 * (WebCrypto, imported keys cached in `options.imported`; RustCrypto without `subtle`)
 * while the next slice is read and parsed, and before the one after it, so memory stays to
 * about two windows. Returns the Verification with its receipts ended and every round
 * answered, or null when `options.cancelled()` said so between slices.
 * `options.onProgress({done, total, receipts})` after each slice: bytes the passes read, of
 * `total`, and the receipt files' items read.
 */
export async function feedReceipts(api, receipts, keys, options = {}) {
  const { slice = SLICE, imported = new Map(), onProgress = () => {}, cancelled = () => false } = options;
  const subtle = 'subtle' in options ? options.subtle : globalThis.crypto?.subtle;
  if (!(slice >= 1)) throw new Error('the slice size must be at least 1 byte');
  if (!subtle && !api.canVerifyWithoutWebCrypto()) throw new Error(NO_WEBCRYPTO);
  if (receipts != null && !Array.isArray(receipts)) throw new Error('expected an array of receipt files');
  const files = (receipts ?? []).map((f, i) => fileOf(f, `receipt-${i + 1}`));
  const total = files.reduce((n, f) => n + sizeOf(f.data) * (firstPasses(f).length + 1), 0);
  const v = api.Verification.start(keys ?? []);
  // The rounds pending after one slice are answered while the next is read and pushed: a
  // push only queues windows behind the round being answered (the engine starts the next
  // round at `submit`), so WebCrypto and the parser work at once, a window apart.
  let answering = Promise.resolve();
  const answer = async () => {
    await answering;
    answering = subtle ? answerRounds(v, subtle, imported) : Promise.resolve(v.answerHere());
    // Its failure is thrown where it is awaited, before the next push; until then it is
    // not an unhandled rejection (which ends a Node process).
    answering.catch(() => {});
  };
  let done = 0;
  onProgress({ done, total, receipts: 0 });
  // A file read more than once must read the same each time (SPEC.md §15, v1.1; a File
  // can change on disk between passes): each slice's SHA-256 in its first pass is compared
  // in the later ones, hashed off this thread by WebCrypto (else by the module).
  const digestOf = (bytes) =>
    typeof subtle?.digest === 'function'
      ? subtle.digest('SHA-256', bytes).then((d) => new Uint8Array(d))
      : Promise.resolve(api.sha256(bytes));
  // One pass over one file: false when cancelled.
  const pass = async (file, name) => {
    const size = sizeOf(file.data);
    const digests = [];
    v.beginReceiptFile(file.name, size, file.role, name);
    for (let at = 0; at < size; at += slice) {
      const bytes = await sliceOf(file.data, at, Math.min(at + slice, size));
      if (cancelled()) return false;
      digests.push(digestOf(bytes));
      v.pushReceipts(bytes);
      await answer();
      done += bytes.length;
      onProgress({ done, total, receipts: v.receiptsRead() });
    }
    v.endReceiptFile();
    await answer();
    const read = await Promise.all(digests);
    file.read ??= read;
    if (read.length !== file.read.length || read.some((d, i) => d.some((b, j) => b !== file.read[i][j]))) {
      throw new Error(`${file.name} changed while it was read (its passes read different bytes); verify a copy that nothing writes to`);
    }
    return true;
  };
  let fed = false;
  try {
    const passes = [...files.flatMap((f) => firstPasses(f).map((p) => [f, p])), ...files.map((f) => [f, 'chain'])];
    for (const [file, name] of passes) if (!(await pass(file, name))) return null;
    v.endReceipts();
    await answer();
    await answering;
    fed = true;
    return v;
  } finally {
    if (!fed) {
      // Rounds still being answered would submit to a freed Verification.
      await answering.catch(() => {});
      try {
        v.free();
      } catch {}
    }
  }
}

/**
 * The report of `{receipts, keys, rows?}` (files as `string | Uint8Array | Blob | {name,
 * data, role?}`), exactly what `verify` gives for the same bytes, with every file read in
 * slices: the receipts by `feedReceipts` (same options), then the row export, through
 * `options.readRows(rowVerifier, data, {slice, progress, cancelled, readInOne})` if given
 * (false when cancelled; `progress(done, rows, force)` counts its bytes; `readInOne()` is the
 * default reading). Null when cancelled.
 * `onProgress({done, total, receipts, rows}, force)`: `total` is every byte the passes read.
 */
export async function verifyFilesWith(api, input, options = {}) {
  const { slice = SLICE, onProgress = () => {}, cancelled = () => false, readRows = readRowsInOne } = options;
  const subtle = 'subtle' in options ? options.subtle : globalThis.crypto?.subtle;
  if (input === null || typeof input !== 'object') throw new Error('expected { receipts, keys, rows? }');
  const rows = input.rows == null ? null : fileOf(input.rows, 'rows');
  const imported = new Map();
  let before = 0;
  let receipts = 0;
  const rowBytes = rows ? sizeOf(rows.data) : 0;
  const feedProgress = (p) => {
    [before, receipts] = [p.total, p.receipts];
    onProgress({ done: p.done, total: p.total + rowBytes, receipts, rows: 0 }, false);
  };
  const feedOptions = { slice, subtle, imported, cancelled, onProgress: feedProgress };
  const v = await feedReceipts(api, input.receipts, input.keys, feedOptions);
  if (!v) return null;
  if (!rows) return finishAsync(v, api, subtle, imported);
  let verifier;
  try {
    receipts = v.receiptsRead();
    verifier = v.beginRows(rows.name);
  } finally {
    v.free();
  }
  try {
    const progress = (done, rowsRead, force = false) =>
      onProgress({ done: before + done, total: before + rowBytes, receipts, rows: rowsRead }, force);
    const context = { slice, progress, cancelled };
    context.readInOne = () => readRowsInOne(verifier, rows.data, context);
    if (!(await readRows(verifier, rows.data, context))) return null;
    return await finishAsync(verifier.intoVerification(), api, subtle, imported);
  } finally {
    verifier.free();
  }
}

/** A row export pushed through `verifier` slice by slice: false when cancelled. */
async function readRowsInOne(verifier, data, { slice, progress, cancelled }) {
  const size = sizeOf(data);
  for (let at = 0; at < size; at += slice) {
    const bytes = await sliceOf(data, at, Math.min(at + slice, size));
    if (cancelled()) return false;
    verifier.push(bytes);
    progress(at + bytes.length, verifier.rowsRead(), at + bytes.length >= size);
  }
  return true;
}
