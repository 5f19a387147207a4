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
export async function finishAsync(verification, api, subtle = globalThis.crypto?.subtle) {
  try {
    if (!subtle) {
      if (api.canVerifyWithoutWebCrypto()) return verification.finish();
      throw new Error(NO_WEBCRYPTO);
    }
    const keys = verification.keys();
    const imported = new Map();
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
    return verification.report('webcrypto');
  } finally {
    // After a trap (e.g. out of memory) free() throws too; the first error is the one to see.
    try {
      verification.free();
    } catch {}
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
