// Red team 4, finding 03 (2026-12-03): a verify started while
// another still runs in the page's worker.
// The page sends a new verify whenever the inputs change (model.rs `refresh` sets Waiting
// even while Running, and widget.rs `send_due` sends it), without cancelling the running
// one; worker.js keeps the range jobs in globals (`jobs`, `wake`, `mostHeld`), which the two
// runVerify calls share: the old one's `finally { jobs = new Map() }` drops the new one's
// jobs, or its join loop takes the new one's summaries. Now each verify keeps its own
// jobs, range workers keep their state per job, and a newer verify stops an older one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { open, root, watch, patchWorker, replaceRequired } from './helpers.mjs';

const dir = join(root, 'target/e2e-redteam4');
const receipt = process.env.RECEIPT_BIN || join(root, 'target/debug/receipt');
test.describe.configure({ timeout: 240_000 });

test.beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(receipt, ['demo', '--out', dir, '--rows', '200000', '--receipts', '1']);
  // A second copy of the key set: adding it changes the inputs (so the page verifies
  // again) but not the verdict.
  copyFileSync(join(dir, 'jwks.json'), join(dir, 'jwks-copy.json'));
  // The same export with one row edited in its last tenth (same length, so the ranges stay
  // where they are), and only the first 50 receipts (they seal rows 1..50,000): the edited
  // row is unsealed, but its hash no longer matches, which one pass reports (rows.hash).
  const lines = readFileSync(join(dir, 'rows.jsonl'), 'utf8').split('\n');
  const at = Math.floor(lines.length * 0.9);
  lines[at] = lines[at].replace('"ts":"2026-', '"ts":"2027-');
  writeFileSync(join(dir, 'rows-edited.jsonl'), lines.join('\n'));
  const receipts = readFileSync(join(dir, 'rows-receipts.jsonl'), 'utf8').split('\n').slice(0, 50);
  writeFileSync(join(dir, 'first-receipts.jsonl'), receipts.join('\n') + '\n');
});

// The page's worker pauses after each slice of the first range, so the first verify is
// still running when the inputs change (it only widens the window a real 1 GB export has).
const SLOW = [
  '    verifier.push(slice);\n    ownRows = verifier.rowsRead();',
  '    verifier.push(slice);\n    await new Promise((r) => setTimeout(r, 300));\n    ownRows = verifier.rowsRead();',
];

async function run(browser, interrupt, names = ['rows.jsonl', 'rows-receipts.jsonl', 'jwks.json']) {
  const context = await browser.newContext();
  await patchWorker(context, (served) => replaceRequired(served, ...SLOW));
  const page = await context.newPage();
  const problems = watch(page);
  await open(page);
  await page.waitForLoadState('load');
  const input = page.getByTestId('file-input');
  if (interrupt) {
    await input.setInputFiles(names.map((n) => join(dir, n)));
    // Running: progress has been shown.
    await expect(page.getByTestId('progress-detail')).toHaveText(/ rows /, { timeout: 60_000 });
    await input.setInputFiles([join(dir, 'jwks-copy.json')]);
  } else {
    await input.setInputFiles([...names, 'jwks-copy.json'].map((n) => join(dir, n)));
  }
  let verdict = 'none (no report within 90 s)';
  try {
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /.+/, { timeout: 90_000 });
    verdict = await page.getByTestId('verdict').getAttribute('data-verdict');
  } catch {}
  const result = (await page.locator('.result-slot').textContent()) ?? '';
  await context.close();
  return { verdict, result, problems };
}

test('inputs changed while a large export is verified: the new report is the uninterrupted one', async ({ browser }) => {
  const control = await run(browser, false);
  expect(control.verdict, 'positive control').toBe('verified');
  const interrupted = await run(browser, true);
  expect(interrupted.verdict).toBe(control.verdict);
  expect(interrupted.result).toBe(control.result);
});

test('an edited row: the interrupted report must not say verified', async ({ browser }) => {
  const names = ['rows-edited.jsonl', 'first-receipts.jsonl', 'jwks.json'];
  const control = await run(browser, false, names);
  expect(control.verdict, 'positive control: one pass finds the edit').toBe('failed');
  expect(control.result).toContain('rows.hash');
  const interrupted = await run(browser, true, names);
  expect(interrupted.verdict).toBe(control.verdict);
  expect(interrupted.result).toBe(control.result);
});

// Red team 14, finding 03: a Cancel the worker does not answer within 1.5 s (one long step)
// replaces the worker; what the page sent after the Cancel (the next verify, a new file's
// inspect) went with the old worker, and the page waited for ever. Now both are sent again.
test('files changed right after a Cancel that replaces a busy worker still get a verdict', async ({ page, context }) => {
  let served = 0;
  await patchWorker(context, (body, url) => {
    // The first coordinator only: its first verify holds the thread for 2.5 s.
    if (url.includes('role=range') || served++ > 0) return body;
    const from = 'async function runVerify(request, buffers) {';
    return replaceRequired(body, from, `${from}\n  if (!self.__slowOnce) { self.__slowOnce = 1; const t = Date.now() + 2500; while (Date.now() < t); }`);
  });
  await open(page);
  await page.getByTestId('demo-good').click();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('status')).toContainText('Cancelled');
  // At once, before the 1.5 s grace: another file, so the page verifies again.
  const edited = readFileSync(join(root, 'examples/tampered/receipt-edited.json'), 'utf8');
  await page.getByText('Paste a receipt or key instead').click();
  await page.getByTestId('paste-box').fill(edited);
  await page.getByTestId('paste-add').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed', { timeout: 20_000 });
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
  expect(served, 'the busy worker was replaced').toBeGreaterThan(1);
});
