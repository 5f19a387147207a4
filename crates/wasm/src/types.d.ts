/** A file's contents: text (UTF-8) or bytes. */
export type FileData = string | Uint8Array;
/** A file with the name the report should use. */
/** `role: "receipts"` reads a receipt file as receipts whatever its shape; without it, a file
 *  shaped as a row export or key file fails `input.kind` once (SPEC.md §3). */
export interface NamedFile { name: string; data: FileData; role?: "receipts" }
/** A file, named or not. Unnamed files are called receipt-1, key-1, … in the report. */
export type FileInput = FileData | NamedFile;

export interface VerifyInput {
  /** Receipt files: one receipt, a JSON array, or JSON Lines; approvals may be mixed in. */
  receipts: FileInput[];
  /** Key files: PEM, DER, JWK, JWKS or `az keyvault key show` output. */
  keys: FileInput[];
  /** An audit-row export (JSON Lines) to check against the receipts. */
  rows?: FileInput;
}

export type Status = "pass" | "fail" | "warn" | "note";

export interface Subject { file?: string; index?: number; line?: number; pointer?: string }

/**
 * One entry of the report (report v2, SPEC.md §12): every pass of a check id is one entry
 * with its `count`; failures, warnings and notes are one entry each, up to 1,000 per id
 * and status, then one entry with the `count` of the rest.
 */
export interface Check {
  /** Stable check id from SPEC.md §13, e.g. "receipt.signature". */
  id: string;
  status: Status;
  /** Where; for an aggregated pass or the rest of a capped id, the first place. */
  subject: Subject;
  message: string;
  expected?: string;
  actual?: string;
  /** How many findings this entry stands for: on every pass, and on the rest of a capped id. Absent: one. */
  count?: number;
  /** The place of the last of them, when `count` is 2 or more. */
  last?: Subject;
}

export interface CertificateInfo { subject: string; issuer: string; serial: string; notBefore?: string; notAfter?: string }

export interface KeyReport {
  kid: string | null;
  source: string;
  format: "pem-spki" | "pem-pkcs1" | "pem-certificate" | "der-spki" | "der-pkcs1" | "der-certificate" | "jwk" | "jwks";
  keyType: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex. */
  fingerprint: string;
  /** SHA-256 of the SPKI DER as the key file encoded it, when not canonical (v1.1). */
  fileSpkiSha256?: string;
  alg?: "RS256" | "PS256" | "ES256";
  validFrom?: string;
  validUntil?: string;
  status?: "active" | "retired" | "revoked";
  certificate?: CertificateInfo;
  verifiedSignatures: number;
}

export interface Report {
  format: "receipt-report/v2";
  verdict: "verified" | "failed";
  /** The true totals: each entry counts as its `count` (one without). */
  summary: { pass: number; fail: number; warn: number; note: number };
  backend: string;
  keys: KeyReport[];
  checks: Check[];
}

export interface KeySummary { kid: string | null; keyType: string; fingerprint: string; format: KeyReport["format"] }

export interface Inspection {
  kind: "receipt" | "receipt-chain" | "approvals" | "receipts-and-approvals" | "row-export" | "keys" | "unknown";
  /** A short label for people, e.g. "chain of 6 receipts (cust-0042)". */
  label: string;
  count: number;
  keys: KeySummary[];
  /** Why the file is not recognised, or which parts could not be read. */
  reason?: string;
}

/** A window of signature jobs of a `Verification`, in columns (see `Verification.jobs`). */
export interface PendingJobs {
  /** Index into `keys()` per job. */
  key: Uint32Array;
  /** 0 RS256, 1 PS256, 2 ES256 per job. */
  alg: Uint8Array;
  /** Each distinct signed message once, concatenated; message m ends at `messageEnd[m]`. */
  message: Uint8Array;
  messageEnd: Uint32Array;
  /** Per job, the index of its message (jobs trying one signature under several keys share one). */
  messageIndex: Uint32Array;
  /** Every job's prepared signature (ES256 as r ‖ s), concatenated; ends in `signatureEnd`. */
  signature: Uint8Array;
  signatureEnd: Uint32Array;
}
