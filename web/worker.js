// The verification worker: runs the receipt-verify-wasm package (the same core as the
// `receipt` CLI) off the main thread, so the page stays responsive on large row exports.
//
// Protocol (web/src/protocol.rs is the other side): the page posts
// [headerJson, ...Uint8Array] with the file bytes transferred, and gets JSON strings back:
//   {type:"inspect", id, name}                  -> {type:"inspected", id, inspection}
//   {type:"verify", id, receipts, keys, rows?, asReceipts?} -> {type:"progress", id, done, total}*,
//                                                  then {type:"report", id, report}
//   any failure                                 -> {type:"error", id, message, fatal}
// Cancelling is terminating the worker; the page starts a new one. `fatal` says the wasm
// trapped (e.g. `unreachable` on a huge export): the instance is unusable after that, so
// the page replaces this worker.
//
// The core is the receipt-verify-wasm package (pkg/) for the page, or the embed's own
// module, which holds widget and core (worker.js?core=embed-core.js). Requests wait in the
// page's queue until this worker says "ready".
const embedded = new URL(self.location.href).searchParams.get('core') === 'embed-core.js';
// Signatures are checked with WebCrypto (verifyAsync, finishAsync), RustCrypto where it is missing.
const { verifyAsync, inspect, RowVerifier } = await import(embedded ? './embed-core.js' : './pkg/index.js');

const CHUNK = 1 << 20;
const send = (message) => postMessage(JSON.stringify(message));

async function runVerify(request, buffers) {
  const take = (names) => names.map((name) => ({ name, data: buffers.shift() }));
  const receipts = take(request.receipts);
  // Files the visitor chose to read as receipts on their chip, whatever their shape.
  for (const i of request.asReceipts ?? []) if (receipts[i]) receipts[i].role = 'receipts';
  const keys = take(request.keys);
  if (!request.rows) {
    send({ type: 'report', id: request.id, report: await verifyAsync({ receipts, keys }) });
    return;
  }
  const rows = buffers.shift();
  const verifier = new RowVerifier(receipts, keys, request.rows);
  let finishing;
  try {
    for (let at = 0; at < rows.length; at += CHUNK) {
      verifier.push(rows.subarray(at, at + CHUNK));
      send({ type: 'progress', id: request.id, done: Math.min(at + CHUNK, rows.length), total: rows.length });
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
    if (request.type === 'inspect') {
      send({ type: 'inspected', id: request.id, inspection: inspect(buffers[0]) });
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
