// A large receipt file dropped into the real page from disk (setInputFiles, so the page
// keeps the browser's File handle): the worker reads it in slices, in the engine's passes,
// answering each window of signatures before the next slice (verifyFiles,
// crates/wasm/js/webcrypto.js), so its WebAssembly memory stays within 64 MB whatever the
// file's size (issue 10 §4). The chain comes from `receipt demo --receipts` (the CLI built by
// scripts/test.sh), made once per build of the CLI and kept in target/.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { open, root, watch } from './helpers.mjs';

const dir = join(root, 'target/e2e-receipts');
const receipt = process.env.RECEIPT_BIN || join(root, 'target/debug/receipt');
const COUNT = 50_000;
// The goal per worker (issue 10 §4), in bytes as the page's progress line counts MB.
const MEMORY_GOAL = 64e6;

test.beforeAll(() => {
  // Made again when the CLI changes, so a later commit never tests an older CLI's files.
  const cli = createHash('sha256').update(readFileSync(receipt)).digest('hex').slice(0, 16);
  const done = join(dir, `complete-${COUNT}-${cli}`);
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync(receipt, ['demo', '--out', dir, '--receipts', String(COUNT)]);
    // The same chain with one receipt's batch size edited after it was signed: a negative control.
    const lines = readFileSync(join(dir, 'receipts.jsonl'), 'utf8').split('\n');
    const at = 31_415;
    const edited = lines[at].replace(/"batchSize":(\d+)/, (_, n) => `"batchSize":${Number(n) + 1}`);
    expect(edited).not.toEqual(lines[at]);
    lines[at] = edited;
    writeFileSync(join(dir, 'receipts-edited.jsonl'), lines.join('\n'));
    writeFileSync(done, '');
  }
});

/** Drop `names` from disk and wait for the verdict; the worker's messages as the page got them. */
async function dropFromDisk(page, names) {
  await page.addInitScript(() => {
    window.__fromWorker = [];
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => typeof e.data === 'string' && window.__fromWorker.push(JSON.parse(e.data)));
      }
    };
  });
  await open(page);
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(dir, n)));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /.+/, { timeout: 180_000 });
  const messages = await page.evaluate(() => window.__fromWorker);
  // WebAssembly memory only grows: the largest figure each worker reported is its peak.
  const memory = [];
  for (const m of messages) (m.memory || []).forEach((b, i) => (memory[i] = Math.max(memory[i] || 0, b)));
  const receiptsSeen = Math.max(0, ...messages.filter((m) => m.type === 'progress').map((m) => m.receipts || 0));
  return { verdict: await page.getByTestId('verdict').getAttribute('data-verdict'), memory, receiptsSeen };
}

test(`${COUNT.toLocaleString('en-US')} receipts from disk verify in slices within 64 MB of WebAssembly memory per worker`, async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watch(page);
  expect(statSync(join(dir, 'receipts.jsonl')).size).toBeGreaterThan(40e6);
  const r = await dropFromDisk(page, ['receipts.jsonl', 'jwks.json']);
  expect(r.verdict).toBe('verified');
  await expect(page.getByTestId('verifier')).toContainText(`${COUNT.toLocaleString('en-US')}`);
  // Read in slices: progress came while the receipts were read, counting them.
  expect(r.receiptsSeen).toBeGreaterThan(0);
  expect(r.memory.length).toBeGreaterThan(0);
  console.log(`WebAssembly memory per worker (coordinator first): ${r.memory.map((b) => (b / 1e6).toFixed(1)).join(' / ')} MB`);
  for (const bytes of r.memory) expect(bytes).toBeLessThanOrEqual(MEMORY_GOAL);
  expect(problems).toEqual([]);
});

test('the same chain with one receipt edited is not verified', async ({ page }) => {
  test.setTimeout(240_000);
  const r = await dropFromDisk(page, ['receipts-edited.jsonl', 'jwks.json']);
  expect(r.verdict).toBe('failed');
  await expect(page.getByTestId('verifier')).toContainText('receipt.signature');
  for (const bytes of r.memory) expect(bytes).toBeLessThanOrEqual(MEMORY_GOAL);
});
