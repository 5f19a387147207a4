//! Stable check ids. SPEC.md §"Check ids" documents each; never rename one.

/// A file or line is strict JSON.
pub const INPUT_PARSE: &str = "input.parse";
/// An item is a known receipt kind.
pub const INPUT_KIND: &str = "input.kind";
/// Something was given to verify.
pub const INPUT_EMPTY: &str = "input.empty";
/// The signature backend answered every job (v1.1): a failure is the verifier's fault.
pub const ENGINE_BACKEND: &str = "engine.backend";

/// Required fields are present and well-formed.
pub const RECEIPT_FIELDS: &str = "receipt.fields";
/// `thisHash` = SHA-256(manifest).
pub const RECEIPT_HASH: &str = "receipt.hash";
/// `alg` is supported and fits the key.
pub const RECEIPT_ALG: &str = "receipt.alg";
/// The signature verifies over the manifest.
pub const RECEIPT_SIGNATURE: &str = "receipt.signature";

/// A key was found for the kid.
pub const KEY_SELECT: &str = "key.select";
/// `signedAt` is inside the key's validity window.
pub const KEY_VALIDITY: &str = "key.validity";
/// The key is not revoked.
pub const KEY_STATUS: &str = "key.status";

/// `wormBlobUri` is https and its path matches customer and `signedAt`.
pub const WORM_URI: &str = "worm.uri";
/// `immutability` is `locked-<N>y`.
pub const WORM_IMMUTABILITY: &str = "worm.immutability";
/// The retention end (`signedAt` + N years).
pub const WORM_RETENTION: &str = "worm.retention";

/// Whether the chain starts at genesis.
pub const CHAIN_GENESIS: &str = "chain.genesis";
/// `prevHash` equals the previous receipt's `thisHash`.
pub const CHAIN_LINK: &str = "chain.link";
/// `signedAt` strictly increases.
pub const CHAIN_ORDER: &str = "chain.order";
/// One `customerId` throughout.
pub const CHAIN_CUSTOMER: &str = "chain.customer";

/// A row line is strict JSON and an object.
pub const ROWS_PARSE: &str = "rows.parse";
/// A row has `seq`, `customerId`, `prevHash`, `thisHash`.
pub const ROWS_FIELDS: &str = "rows.fields";
/// A row's `thisHash` = SHA-256(JCS(row without thisHash)).
pub const ROWS_HASH: &str = "rows.hash";
/// A row's `prevHash` equals the previous row's `thisHash`.
pub const ROWS_LINK: &str = "rows.link";
/// `seq` increases by 1.
pub const ROWS_SEQ: &str = "rows.seq";
/// Whether the export starts at genesis.
pub const ROWS_GENESIS: &str = "rows.genesis";
/// Each receipt's `batchHead` is a row's `thisHash`, in order.
pub const ROWS_HEAD: &str = "rows.head";
/// The head row's `customerId` matches the receipt's.
pub const ROWS_CUSTOMER: &str = "rows.customer";
/// Rows after the last sealed head.
pub const ROWS_UNSEALED: &str = "rows.unsealed";

/// Approval receipt fields are present and well-formed.
pub const APPROVAL_FIELDS: &str = "approval.fields";
/// Each approval signature verifies.
pub const APPROVAL_SIGNATURE: &str = "approval.signature";
/// 0 ≤ consumedAt − signedAt ≤ 24 h.
pub const APPROVAL_FRESHNESS: &str = "approval.freshness";
/// Enough distinct approvers.
pub const APPROVAL_QUORUM: &str = "approval.quorum";
/// No approver is the requester.
pub const APPROVAL_SEPARATION: &str = "approval.separation";
/// A `(customerId, waveId)` is consumed at most once.
pub const APPROVAL_REPLAY: &str = "approval.replay";

/// The verdict rests on at least one signature verified under a supplied key (v1.1).
pub const VERDICT_SIGNATURE: &str = "verdict.signature";
/// A row export is sealed by at least one batch receipt (v1.1).
pub const ROWS_SEALED: &str = "rows.sealed";
/// The selected key's `receiptRoles` include the kind of receipt it verifies (v1.1).
pub const KEY_ROLE: &str = "key.role";
/// A key in a key file was skipped: it cannot verify (v1.1).
pub const KEY_SKIPPED: &str = "key.skipped";
/// An approval entry's `approver` is its key's bound identity (v1.1).
pub const APPROVAL_BINDING: &str = "approval.binding";
/// The consumption (`consumedAt`) is recorded by a sealed audit row (v1.1).
pub const APPROVAL_CONSUMED: &str = "approval.consumed";
/// Every receipt file fed in pieces was read in full, in each of its passes (v1.1).
pub const INPUT_READ: &str = "input.read";

/// Every id, for documentation tests.
pub const ALL: &[&str] = &[
    INPUT_PARSE,
    INPUT_KIND,
    INPUT_EMPTY,
    ENGINE_BACKEND,
    RECEIPT_FIELDS,
    RECEIPT_HASH,
    RECEIPT_ALG,
    RECEIPT_SIGNATURE,
    KEY_SELECT,
    KEY_VALIDITY,
    KEY_STATUS,
    WORM_URI,
    WORM_IMMUTABILITY,
    WORM_RETENTION,
    CHAIN_GENESIS,
    CHAIN_LINK,
    CHAIN_ORDER,
    CHAIN_CUSTOMER,
    ROWS_PARSE,
    ROWS_FIELDS,
    ROWS_HASH,
    ROWS_LINK,
    ROWS_SEQ,
    ROWS_GENESIS,
    ROWS_HEAD,
    ROWS_CUSTOMER,
    ROWS_UNSEALED,
    APPROVAL_FIELDS,
    APPROVAL_SIGNATURE,
    APPROVAL_FRESHNESS,
    APPROVAL_QUORUM,
    APPROVAL_SEPARATION,
    APPROVAL_REPLAY,
    VERDICT_SIGNATURE,
    ROWS_SEALED,
    KEY_ROLE,
    KEY_SKIPPED,
    APPROVAL_BINDING,
    APPROVAL_CONSUMED,
    INPUT_READ,
];
