// The verification worker: runs the receipt-verify-wasm package (the same core as the
// `receipt` CLI) off the main thread, so the page stays responsive on large row exports.
//
// Protocol (web/src/protocol.rs is the other side): the page posts
// [headerJson, ...(Uint8Array | File)]: small files as bytes (transferred), large ones as the
// browser's File handle (shared, read here in slices), and gets JSON strings back:
//   {type:"inspect", id, name}                  -> {type:"inspected", id, inspection}
//   {type:"verify", id, receipts, keys, rows?, asReceipts?} -> {type:"progress", id, done, total}*,
//                                                  then {type:"report", id, report}
//   any failure                                 -> {type:"error", id, message, fatal}
//   {type:"cancel", id}                         -> {type:"cancelled", id} at the next slice
// Cancelling stops the row loop between slices, so the worker stays up and nothing is
// loaded again; only a worker stuck in one long step is replaced. `fatal` says the wasm
// trapped (e.g. `unreachable` on a huge export): the instance is unusable after that, so
// the page replaces this worker.
//
// The core is the receipt-verify-wasm package (pkg/) for the page, or the embed's own
// module, which holds widget and core (worker.js?core=embed-core.js). Requests wait in the
// page's queue until this worker says "ready".
const embedded = new URL(self.location.href).searchParams.get('core') === 'embed-core.js';
// Signatures are checked with WebCrypto (verifyAsync, finishAsync), RustCrypto where it is missing.
const { verifyAsync, inspect, inspectHead, RowVerifier } = await import(embedded ? './embed-core.js' : './pkg/index.js');

// A file arrives as bytes (small files) or as the browser's File handle (large ones, which
// the page never reads): a head of HEAD bytes labels it, and a row export is read in
// slices of CHUNK bytes straight into the verifier, so no copy of the whole export exists.
const CHUNK = 4 << 20;
const HEAD = 64 << 10;
const bytesOf = async (data) => (data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data);
const sizeOf = (data) => (data instanceof Blob ? data.size : data.length);
async function sliceOf(data, start, end) {
  return data instanceof Blob ? new Uint8Array(await data.slice(start, end).arrayBuffer()) : data.subarray(start, end);
}

// Verify requests the page has cancelled: their row loops stop at the next slice.
const cancelled = new Set();
const stopped = (id) => {
  if (!cancelled.delete(id)) return false;
  send({ type: 'cancelled', id });
  return true;
};

async function runInspect(data) {
  if (data instanceof Blob && data.size > HEAD) {
    const labelled = inspectHead(await sliceOf(data, 0, HEAD), data.size);
    if (labelled) return labelled;
  }
  return inspect(await bytesOf(data));
}
const send = (message) => postMessage(JSON.stringify(message));

async function runVerify(request, buffers) {
  const take = async (names) => {
    const files = [];
    for (const name of names) files.push({ name, data: await bytesOf(buffers.shift()) });
    return files;
  };
  const receipts = await take(request.receipts);
  if (stopped(request.id)) return;
  // Files the visitor chose to read as receipts on their chip, whatever their shape.
  for (const i of request.asReceipts ?? []) if (receipts[i]) receipts[i].role = 'receipts';
  const keys = await take(request.keys);
  if (!request.rows) {
    send({ type: 'report', id: request.id, report: await verifyAsync({ receipts, keys }) });
    return;
  }
  const rows = buffers.shift();
  const total = sizeOf(rows);
  const verifier = new RowVerifier(receipts, keys, request.rows);
  let finishing;
  try {
    for (let at = 0; at < total; at += CHUNK) {
      const slice = await sliceOf(rows, at, Math.min(at + CHUNK, total));
      if (stopped(request.id)) return;
      verifier.push(slice);
      send({ type: 'progress', id: request.id, done: Math.min(at + CHUNK, total), total });
    }
    finishing = verifier.finishAsync();
  } finally {
    verifier.free();
  }
  send({ type: 'report', id: request.id, report: await finishing });
}

onmessage = async (event) => {
  const [header, ...buffers] = event.data;
  let request;
  try {
    request = JSON.parse(header);
  } catch {
    send({ type: 'error', id: -1, message: 'the worker got a message it cannot read' });
    return;
  }
  try {
    if (request.type === 'cancel') {
      cancelled.add(request.id);
    } else if (request.type === 'inspect') {
      send({ type: 'inspected', id: request.id, inspection: await runInspect(buffers[0]) });
    } else if (request.type === 'verify') {
      await runVerify(request, buffers);
    } else {
      send({ type: 'error', id: request.id, message: `unknown request ${request.type}` });
    }
  } catch (error) {
    const fatal = typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
    send({ type: 'error', id: request.id, message: String((error && error.message) || error), fatal });
  }
};

send({ type: 'ready' });
