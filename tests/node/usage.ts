// Type-checked (not run) by types.test.mjs: the package's .d.ts must describe this use.
import { verify, verifyAsync, verifyFiles, inspect, manifest, fingerprint, RowVerifier, Verification } from '../../pkg/index.js';
import type { Report, Check, Inspection, VerifyInput, PendingJobs, FilesProgress } from '../../pkg/index.js';

const input: VerifyInput = { receipts: ['{}', new Uint8Array(), { name: 'r.json', data: '{}' }], keys: [], rows: 'x' };
const report: Report = verify(input);
const verdict: 'verified' | 'failed' = report.verdict;
const failures: Check[] = report.checks.filter((c) => c.status === 'fail');
const where: string | undefined = failures[0]?.subject.pointer;
// Report v2: a pass entry stands for `count` passes, from `subject` to `last`.
const format: 'receipt-report/v2' = report.format;
const passed: number = report.checks.filter((c) => c.status === 'pass').reduce((n, c) => n + (c.count ?? 1), 0);
const lastPlace: number | undefined = report.checks[0]?.last?.index;
const fp: string = report.keys[0]?.fingerprint ?? fingerprint('key');
const what: Inspection = inspect(new Uint8Array());
const kind: 'receipt' | 'receipt-chain' | 'approvals' | 'receipts-and-approvals' | 'row-export' | 'keys' | 'unknown' = what.kind;
const m: string = manifest('{}');
const rv = new RowVerifier([], ['jwks'], 'rows.jsonl');
rv.push(new Uint8Array([1, 2]));
const streamed: Report = rv.finish();
const fast: Promise<Report> = verifyAsync(input);
const streamedFast: Promise<Report> = new RowVerifier([], ['jwks']).finishAsync();
// The step-by-step driver, for a signature backend of one's own.
const driver = new Verification(input);
const window: PendingJobs = driver.jobs(0, driver.pendingCount());
const keyIndex: number = window.key[0] ?? 0;
const spki: Uint8Array = driver.keys()[keyIndex]?.spki ?? new Uint8Array();
driver.submit(new Uint8Array(window.key.length).fill(1));
const done: boolean = driver.isDone();
const answered: Report = driver.report('my-backend');
// Receipt files fed in pieces: the passes, then rows through a RowVerifier.
const fed = Verification.start(['jwks']);
fed.beginReceiptFile('r.jsonl', 2, null, 'shape');
fed.pushReceipts(new Uint8Array([123, 125]));
fed.endReceiptFile();
fed.beginReceiptFile('r.jsonl', 2, 'receipts', 'items');
fed.endReceipts();
const read: number = fed.receiptsRead();
const rowsAfter: RowVerifier = fed.beginRows('rows.jsonl');
// @ts-expect-error: a pass is "shape", "items" or "chain"
fed.beginReceiptFile('r.jsonl', 2, null, 'all');
const sliced: Promise<Report | null> = verifyFiles(
  { receipts: [new Blob(['{}']), { name: 'r.json', data: new Blob([]), role: 'receipts' }], keys: ['jwks'], rows: new Blob([]) },
  { slice: 1000, cancelled: () => false, onProgress: (p: FilesProgress) => p.done / p.total, subtle: null },
);
// @ts-expect-error: outcomes are bytes, not booleans
driver.submit([true]);
// @ts-expect-error: receipts must be files, not numbers
verify({ receipts: [1], keys: [] });
export { verdict, where, format, passed, lastPlace, fp, kind, m, streamed, fast, streamedFast, spki, done, answered, read, rowsAfter, sliced };
