// Types for receipt-verify-wasm. The module initializes itself on import.
export {
  verify, manifest, fingerprint, inspect, inspectHead, RowVerifier, RowRangeReader, Verification, canVerifyWithoutWebCrypto,
  wasmMemoryBytes,
} from './receipt_verify_wasm.js';
export type {
  FileData, NamedFile, FileInput, VerifyInput, Status, Subject, Check, CertificateInfo, KeyReport, Report,
  KeySummary, Inspection, PendingJobs,
} from './receipt_verify_wasm.js';
import type { VerifyInput, Report } from './receipt_verify_wasm.js';

/**
 * Like `verify`, with every signature checked by the platform's WebCrypto (`crypto.subtle`:
 * browsers on https:// or localhost, Node 20+), which is far faster than the module's own
 * RustCrypto; where WebCrypto is missing, RustCrypto checks them. The report is the same
 * either way, apart from `backend` ("webcrypto" or "rustcrypto"). Throws (synchronously)
 * for an unusable key file, as `verify` does.
 */
export function verifyAsync(input: VerifyInput): Promise<Report>;

declare module './receipt_verify_wasm.js' {
  interface RowVerifier {
    /** Like `finish`, with signatures checked by WebCrypto where there is one. */
    finishAsync(): Promise<Report>;
  }
}
