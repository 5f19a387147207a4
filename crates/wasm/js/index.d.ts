// Types for receipt-verify-wasm. The module initializes itself on import.
export {
  verify, manifest, fingerprint, inspect, inspectHead, RowVerifier, RowRangeReader, Verification, canVerifyWithoutWebCrypto,
  wasmMemoryBytes,
} from './receipt_verify_wasm.js';
export type {
  FileData, NamedFile, FileInput, VerifyInput, Status, Subject, Check, CertificateInfo, KeyReport, Report,
  KeySummary, Inspection, PendingJobs,
} from './receipt_verify_wasm.js';
import type { VerifyInput, Report, FileInput } from './receipt_verify_wasm.js';

/**
 * Like `verify`, with every signature checked by the platform's WebCrypto (`crypto.subtle`:
 * browsers on https:// or localhost, Node 20+), which is far faster than the module's own
 * RustCrypto; where WebCrypto is missing, RustCrypto checks them. The report is the same
 * either way, apart from `backend` ("webcrypto" or "rustcrypto"). Throws (synchronously)
 * for an unusable key file, as `verify` does.
 */
export function verifyAsync(input: VerifyInput): Promise<Report>;

/** A file `verifyFiles` reads in slices: bytes, text, or a `Blob` (a `File` from a drop). */
export type SlicedData = string | Uint8Array | Blob;
export type SlicedFile = SlicedData | { name: string; data: SlicedData; role?: "receipts" };

/** Progress of `verifyFiles`: bytes the passes read so far (each receipt file is read three
 *  times, twice with `role: "receipts"`; then the row export once) of `total`, the receipt
 *  files' items read, and the rows read. */
export interface FilesProgress { done: number; total: number; receipts: number; rows: number }

export interface VerifyFilesOptions {
  /** Bytes read at a time (default 4 MiB). */
  slice?: number;
  /** Called after each slice (`force`: the last one of a reading). */
  onProgress?: (progress: FilesProgress, force: boolean) => void;
  /** Asked between slices: true stops, and `verifyFiles` resolves to null. */
  cancelled?: () => boolean;
  /** WebCrypto to use; null checks signatures with the module's RustCrypto. Default `crypto.subtle`. */
  subtle?: SubtleCrypto | null;
}

/**
 * Like `verifyAsync`, with each receipt file and the row export read in slices (`Blob.slice`),
 * each window of signatures answered before the next slice: WebAssembly memory stays bounded
 * (a window of signatures and 56 bytes per receipt) whatever the files' size. The report is
 * exactly `verify`'s for the same bytes. Resolves to null when `options.cancelled()` said stop.
 */
export function verifyFiles(
  input: { receipts: SlicedFile[]; keys: FileInput[]; rows?: SlicedFile },
  options?: VerifyFilesOptions,
): Promise<Report | null>;

declare module './receipt_verify_wasm.js' {
  interface RowVerifier {
    /** Like `finish`, with signatures checked by WebCrypto where there is one. */
    finishAsync(): Promise<Report>;
  }
}
