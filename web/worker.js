// The verification worker: runs the receipt-verify-wasm package (the same core as the
// `receipt` CLI) off the main thread, so the page stays responsive on large row exports.
//
// Protocol (web/src/protocol.rs is the other side): the page posts
// [headerJson, ...(Uint8Array | File)]: small files as bytes (transferred), large ones as the
// browser's File handle (shared, read here in slices), and gets JSON strings back:
//   {type:"inspect", id, name}                  -> {type:"inspected", id, inspection}
//   {type:"verify", id, receipts, keys, rows?, asReceipts?} -> {type:"progress", id, done,
//                                                  total, rows, receipts, elapsedMs, memory}*,
//                                                  then {type:"report", id, report, memory, ranges, held}
//   any failure                                 -> {type:"error", id, message, fatal}
//   {type:"cancel", id}                         -> {type:"cancelled", id} at the next slice
// Cancelling stops the reading between slices, so the workers stay up and nothing is
// loaded again; only a worker stuck in one long step is replaced. `fatal` says the wasm
// trapped (e.g. `unreachable` on a huge export): the instance is unusable after that, so
// the page replaces this worker.
//
// Receipt files (v1.1) are read in slices too, in the engine's passes (verifyFiles in
// crates/wasm/js/webcrypto.js), each window of signatures answered before the next slice, so
// WebAssembly memory stays bounded whatever their size; progress counts every byte the
// passes read (each receipt file three times, twice when read as receipts) and the export.
//
// Several workers (v1.1): this worker (the coordinator) starts `navigator.hardwareConcurrency
// - 1` range workers (this same script with ?role=range, running range-worker.js) before it says "ready", so a verify
// or a Cancel never loads anything. A row export of PARALLEL_FROM bytes or more is cut into
// one byte range per worker at line starts; the coordinator reads the first range into its
// RowVerifier, each range worker reads its own into a RowRangeReader and hands the findings
// over as bytes, and the coordinator joins them in file order (RowVerifier.addRange), which
// gives exactly the report of one pass. The coordinator answers each summary it joins with
// {type:"taken"}; a range worker with two summaries not yet taken waits, so a range whose
// rows keep many findings (e.g. 1 MiB wave.consumed rows) cannot pile up in the coordinator. `memory` is each worker's WebAssembly memory, in
// bytes (coordinator first). The embed's core is built without ranges (its size budget), so
// the embed reads an export on one worker.
//
// The core is the receipt-verify-wasm package (pkg/) for the page, or the embed's own
// module, which holds widget and core (worker.js?core=embed-core.js). Requests wait in the
// page's queue until this worker says "ready".
// Every message to the page is built, and every request read, through the protocol's JS
// mirror (generated from web/src/protocol.rs), which refuses a field the other side lacks.
import { message, readRequest } from './protocol.js';

const params = new URL(self.location.href).searchParams;
const embedded = params.get('core') === 'embed-core.js';
const isRangeWorker = params.get('role') === 'range';
// Signatures are checked with WebCrypto (verifyFiles), RustCrypto where it is missing.
const api = await import(embedded ? './embed-core.js' : './pkg/index.js');
const { verifyFiles, inspect, inspectHead, RowRangeReader, wasmMemoryBytes } = api;


// A file arrives as bytes (small files) or as the browser's File handle (large ones, which
// the page never reads): a head of HEAD bytes labels it, and receipt files and a row export
// are read in slices of CHUNK bytes straight into the verifier, so no whole copy exists.
const CHUNK = 4 << 20;
const HEAD = 64 << 10;
// The longest row line (SPEC.md §15), and the largest file read whole to say what it is.
const LONGEST_LINE = 1 << 20;
const INSPECT_WHOLE_MAX = 32 << 20;
// Below this size one worker reads the export: starting ranges would cost more.
const PARALLEL_FROM = 16 << 20;
// Progress goes to the page at most this often (about 10 times a second).
const PROGRESS_MS = 100;
const bytesOf = async (data) => (data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data);
async function sliceOf(data, start, end) {
  return data instanceof Blob ? new Uint8Array(await data.slice(start, end).arrayBuffer()) : data.subarray(start, end);
}
const fatalError = (error) => typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
const messageOf = (error) => String((error && error.message) || error);

// Verify requests the page has cancelled: their reading stops at the next slice.
const cancelled = new Set();

// ---- coordinator: the page's worker ----

// Range workers, started before "ready": each is {worker, memory}.
const helpers = [];
// The verifies under way, by request id: {jobs, wake, held}: their range jobs by job number
// (1, 2, …), a wake-up for the loop that waits on them, and the most summaries of one range
// worker held here at once (tests see it). Per request (red team 4): the page sends a new
// verify when its inputs change, and the handler is async, so two may overlap for a while;
// with one global set of jobs the older joined the newer one's ranges.
const running = new Map();

const send = (type, fields) => postMessage(message(type, fields));
const stopped = (id) => {
  if (!cancelled.delete(id)) return false;
  send('cancelled', { id });
  return true;
};

async function startCoordinator() {
  onmessage = async (event) => {
    const [header, ...buffers] = event.data;
    let request;
    try {
      request = readRequest(header);
    } catch (error) {
      send('error', { id: -1, message: `the worker got a request it cannot read: ${messageOf(error)}` });
      return;
    }
    try {
      if (request.type === 'cancel') {
        cancel(request.id);
      } else if (request.type === 'inspect') {
        send('inspected', { id: request.id, inspection: await runInspect(buffers[0]) });
      } else {
        await runVerify(request, buffers);
      }
    } catch (error) {
      send('error', { id: request.id, message: messageOf(error), fatal: fatalError(error) });
    }
  };
  await startHelpers();
  send('ready');
}

/** Stop verify `id` at its next slice, in this worker and in every range worker. */
function cancel(id) {
  cancelled.add(id);
  for (const h of helpers) h.worker.postMessage({ type: 'cancel', id });
  running.get(id)?.wake();
}

/** Start the range workers and wait until each has loaded (or failed to: it is left out). */
async function startHelpers() {
  const cores = Math.min(Math.max(2, navigator.hardwareConcurrency || 2), 16);
  // The embed's core has no RowRangeReader (its size budget): one worker reads the export.
  if (typeof Worker === 'undefined' || !RowRangeReader) return;
  const url = new URL(self.location.href);
  url.searchParams.set('role', 'range');
  const started = [];
  for (let k = 1; k < cores; k++) {
    started.push(new Promise((resolve) => {
      let worker;
      try {
        worker = new Worker(url, { type: 'module' });
      } catch {
        resolve(null);
        return;
      }
      const helper = { worker, memory: 0 };
      worker.onerror = (e) => {
        e.preventDefault();
        resolve(null);
      };
      worker.onmessage = (event) => {
        if (event.data.type === 'ready') {
          helper.memory = event.data.memory;
          worker.onmessage = (e) => fromHelper(helper, e.data);
          // A range worker that dies (out of memory) fails its job as a trap does: the page
          // replaces this worker, and with it every range worker.
          worker.onerror = (e) => {
            e.preventDefault();
            for (const run of running.values()) {
              for (const job of run.jobs.values()) {
                if (job.helper === helper) job.error = { message: 'a range worker stopped', fatal: true };
              }
              run.wake();
            }
          };
          resolve(helper);
        }
      };
    }));
  }
  for (const helper of await Promise.all(started)) if (helper) helpers.push(helper);
}

function fromHelper(helper, m) {
  const run = running.get(m.id);
  const job = run?.jobs.get(m.job);
  if (!job) return; // a finished or cancelled request's late message
  if (m.type === 'summary') {
    job.summaries.push(m.bytes);
    run.held = Math.max(run.held, job.summaries.length);
    if (m.last) job.finished = true;
  } else if (m.type === 'progress') {
    job.done = m.done;
    job.rows = m.rows;
    helper.memory = m.memory;
  } else if (m.type === 'error') {
    job.error = m;
  } else if (m.type === 'cancelled') {
    job.finished = true;
  }
  run.wake();
}

async function runInspect(data) {
  if (data instanceof Blob && data.size > HEAD) {
    // Whole lines of the head label a large file; a first line may be as long as the
    // longest row (1 MiB), so a head that holds none is read again, longer.
    for (const length of [HEAD, LONGEST_LINE + HEAD]) {
      const labelled = inspectHead(await sliceOf(data, 0, Math.min(length, data.size)), data.size);
      if (labelled) return labelled;
    }
    // Never a whole large file into this worker's memory just to name it (an export whose
    // first megabyte says nothing would otherwise be copied whole): the visitor can still
    // choose its role on the chip.
    if (data.size > INSPECT_WHOLE_MAX) {
      return {
        kind: 'unknown',
        label: 'not recognised',
        count: 0,
        keys: [],
        reason: `its first ${LONGEST_LINE + HEAD} bytes hold no receipt, row or key, and at ${data.size} bytes it is too large to read whole just to name it; choose its role on the chip to verify it`,
      };
    }
  }
  return inspect(await bytesOf(data));
}

async function runVerify(request, buffers) {
  const take = (names) => names.map((name) => ({ name, data: buffers.shift() }));
  // Receipt files stay as they came (File handles are read in slices); keys are small.
  const receipts = take(request.receipts);
  // Files the visitor chose to read as receipts on their chip, whatever their shape.
  for (const i of request.asReceipts ?? []) if (receipts[i]) receipts[i].role = 'receipts';
  const keys = [];
  for (const key of take(request.keys)) keys.push({ name: key.name, data: await bytesOf(key.data) });
  const rows = request.rows ? { name: request.rows, data: buffers.shift() } : undefined;
  if (stopped(request.id)) return;
  // The page shows only its newest request: an older one still reading stops.
  for (const id of running.keys()) cancel(id);
  const run = { jobs: new Map(), wake: () => {}, held: 0 };
  running.set(request.id, run);
  // How many ranges the export was read in (tests and the benchmark see it).
  let ranges = 0;
  const readRows = async (verifier, file, context) => {
    const parallel = file instanceof Blob && file.size >= PARALLEL_FROM && helpers.length > 0;
    ranges = parallel ? await readInRanges(request, file, verifier, run, context.progress) : Number(await context.readInOne());
    return ranges > 0;
  };
  let report;
  try {
    const progress = progressOf(request.id);
    const options = { slice: CHUNK, cancelled: () => stopped(request.id), onProgress: progress, readRows };
    report = await verifyFiles({ receipts, keys, rows }, options);
  } finally {
    // A range that did not finish (another failed, or Cancel) is stopped, so its worker
    // does not wait for a "taken" that will never come, holding its reader.
    for (const job of run.jobs.values()) if (!job.finished) job.helper.worker.postMessage({ type: 'cancel', id: request.id });
    running.delete(request.id);
  }
  if (!report) return;
  const rowsRead = rows ? { ranges, held: run.held } : {};
  send('report', { id: request.id, report, memory: memoryOfAll(), ...rowsRead });
}

/** Each worker's WebAssembly memory, this one first: it only grows, so this is the peak. */
const memoryOfAll = () => [wasmMemoryBytes(), ...helpers.map((h) => h.memory)];

/** Progress of one verify, summed over the workers, sent at most every PROGRESS_MS. */
function progressOf(id) {
  const started = performance.now();
  let last = -Infinity;
  return ({ done, total, rows, receipts }, force = false) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_MS) return;
    last = now;
    const elapsedMs = Math.round(now - started);
    send('progress', { id, done, total, rows, receipts, elapsedMs, memory: memoryOfAll() });
  };
}

/** The export as one range per worker, joined in file order: the number of ranges, or 0
 * when cancelled. */
async function readInRanges(request, file, verifier, run, progress) {
  const total = file.size;
  const bounds = await lineStartsNear(file, total, helpers.length + 1);
  const heads = verifier.headSet();
  const { jobs } = run;
  for (let k = 1; k + 1 < bounds.length; k++) {
    const job = { id: request.id, key: k, helper: helpers[k - 1], summaries: [], finished: false, error: null, done: 0, rows: 0 };
    jobs.set(k, job);
    const [start, end] = [bounds[k], bounds[k + 1]];
    const range = { type: 'range', id: request.id, job: k, name: request.rows, file, start, end, heads };
    helpers[k - 1].worker.postMessage(range);
  }
  let ownRows = 0;
  const sum = (own) => {
    let [done, rows] = [own, ownRows];
    for (const job of jobs.values()) [done, rows] = [done + job.done, rows + job.rows];
    return [done, rows];
  };
  // Range 0, here.
  for (let at = 0; at < bounds[1]; at += CHUNK) {
    const slice = await sliceOf(file, at, Math.min(at + CHUNK, bounds[1]));
    if (stopped(request.id)) return 0;
    verifier.push(slice);
    ownRows = verifier.rowsRead();
    progress(...sum(Math.min(at + CHUNK, bounds[1])));
  }
  // The others, in file order, as their findings arrive.
  for (const [, job] of [...jobs.entries()].sort((a, b) => a[0] - b[0])) {
    for (;;) {
      if (stopped(request.id)) return 0;
      if (job.error) {
        // A range worker whose wasm trapped makes this request fatal: the page replaces this
        // worker, and with it every range worker.
        throw job.error.fatal ? new WebAssembly.RuntimeError(job.error.message) : new Error(job.error.message);
      }
      while (job.summaries.length) {
        verifier.addRange(job.summaries.shift());
        job.helper.worker.postMessage({ type: 'taken', id: request.id, job: job.key });
      }
      if (job.finished) break;
      await new Promise((resolve) => {
        run.wake = resolve;
        setTimeout(resolve, PROGRESS_MS);
      });
      progress(...sum(bounds[1]));
    }
  }
  progress(...sum(bounds[1]), true);
  return bounds.length - 1;
}

/** `parts + 1` offsets from 0 to `size`: each inner one is the first line start at or after
 * `k * size / parts`, so the ranges hold whole lines and every line once. A cut inside a
 * long line moves to its end, however far, or to the end of the file. */
async function lineStartsNear(file, size, parts) {
  const bounds = [0];
  for (let k = 1; k < parts; k++) {
    bounds.push(await nextLineStart(file, Math.max(Math.floor((size * k) / parts), bounds[k - 1]), size));
  }
  bounds.push(size);
  return bounds;
}

async function nextLineStart(file, at, size) {
  if (at <= 0) return 0;
  for (let pos = at - 1; pos < size;) {
    const probe = await sliceOf(file, pos, Math.min(pos + HEAD, size));
    const nl = probe.indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += probe.length;
  }
  return size;
}

// Last: everything above is initialised before a message can arrive.
if (isRangeWorker) {
  const { startRangeWorker } = await import('./range-worker.js');
  startRangeWorker({ RowRangeReader, wasmMemoryBytes, sliceOf, cancelled, CHUNK, messageOf, fatalError });
} else {
  await startCoordinator();
}
