// A large row export dropped into the real page from disk (Playwright's setInputFiles, not a
// DataTransfer built in the page, which would put the whole export in the renderer): the
// page keeps the browser's File handle, the worker labels it from its first 64 KiB and
// streams it in slices. The export comes from `receipt demo --rows` (the CLI built by
// scripts/test.sh). The main thread must never freeze: a task over 1 s fails (a guard,
// not a timing goal).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { open, root, watch } from './helpers.mjs';

const dir = join(root, 'target/e2e-large');
const receipt = process.env.RECEIPT_BIN || join(root, 'target/debug/receipt');

test.beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(receipt, ['demo', '--out', dir, '--rows', '20000', '--receipts', '1']);
  // The same export with one row edited after it was hashed: a negative control.
  const rows = readFileSync(join(dir, 'rows.jsonl'), 'utf8').split('\n');
  rows[12345] = rows[12345].replace('"seq":12346', '"seq":12346,"edited":true');
  writeFileSync(join(dir, 'rows-edited.jsonl'), rows.join('\n'));
});

async function dropFromDisk(page, names) {
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask', buffered: true });
  });
  await open(page);
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(dir, n)));
}

test('a large export from disk is labelled from its head, streamed, and verified', async ({ page }) => {
  const problems = watch(page);
  await dropFromDisk(page, ['rows.jsonl', 'rows-receipts.jsonl', 'jwks.json']);
  const size = readFileSync(join(dir, 'rows.jsonl')).length;
  expect(size).toBeGreaterThan(4 << 20);
  // Labelled from the head: an estimate, said as such.
  await expect(page.getByTestId('chips')).toContainText(/row export, about [\d,]+ rows/);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified', { timeout: 120_000 });
  const longest = await page.evaluate(() => window.__longest);
  expect(longest, 'a main-thread task over 1 s').toBeLessThan(1000);
  expect(problems).toEqual([]);
});

test('the same export with one row edited is not verified', async ({ page }) => {
  await dropFromDisk(page, ['rows-edited.jsonl', 'rows-receipts.jsonl', 'jwks.json']);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed', { timeout: 120_000 });
  await expect(page.getByTestId('verifier')).toContainText('rows.hash');
});
