// Types for receipt-verify-wasm. The module initializes itself on import.
export { verify, manifest, fingerprint, inspect, RowVerifier } from './receipt_verify_wasm.js';
export type {
  FileData, NamedFile, FileInput, VerifyInput, Status, Subject, Check, CertificateInfo, KeyReport, Report,
  KeySummary, Inspection,
} from './receipt_verify_wasm.js';
