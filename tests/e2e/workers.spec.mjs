// A row export large enough for several workers (web/worker.js: PARALLEL_FROM, 16 MiB),
// dropped into the real page from disk. The page's own worker cuts it into one range per
// core at line starts, range workers started at load read the others, and the joined
// report must be the one-worker report (the same page with PARALLEL_FROM patched to
// Infinity in the served worker.js), for an honest export and three damaged ones: a row
// edited in range 2, a link broken exactly at a cut, and the only sealed head in the last
// range. After load nothing is requested, not for a verify and not for a Cancel.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { open, root, watch, patchWorker, replaceRequired } from './helpers.mjs';

const dir = join(root, 'target/e2e-workers');
const receipt = process.env.RECEIPT_BIN || join(root, 'target/debug/receipt');
const ROWS = 100_000;
test.describe.configure({ timeout: 240_000 });

/** The cuts worker.js makes: the first line start at or after k * size / parts. */
function cuts(bytes, parts) {
  const bounds = [0];
  for (let k = 1; k < parts; k++) {
    const at = Math.max(Math.floor((bytes.length * k) / parts), bounds[k - 1]);
    const nl = at === 0 ? -1 : bytes.indexOf(10, at - 1);
    bounds.push(at === 0 ? 0 : nl < 0 ? bytes.length : nl + 1);
  }
  return bounds;
}

/** Line index (0-based) of the line starting at byte `offset`. */
const lineAt = (bytes, offset) => bytes.subarray(0, offset).reduce((n, b) => n + (b === 10 ? 1 : 0), 0);

let parts;
test.beforeAll(async ({ browser }) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // One receipt: its head is the export's last row, so the only sealed head is in the last range.
  execFileSync(receipt, ['demo', '--out', dir, '--rows', String(ROWS), '--receipts', '1']);
  const page = await browser.newPage();
  parts = await page.evaluate(() => Math.min(Math.max(2, navigator.hardwareConcurrency || 2), 16));
  await page.close();
  const bytes = readFileSync(join(dir, 'rows.jsonl'));
  expect(bytes.length).toBeGreaterThan(16 << 20);
  const lines = bytes.toString('utf8').split('\n');
  const cut = lineAt(bytes, cuts(bytes, parts)[1]);
  // Same-length edits, so the cuts stay where they were.
  const edited = [...lines];
  edited[cut + 1000] = edited[cut + 1000].replace('"ts":"2026-', '"ts":"2027-');
  writeFileSync(join(dir, 'rows-edited.jsonl'), edited.join('\n'));
  const relinked = [...lines];
  relinked[cut] = relinked[cut].replace(/"prevHash":"0x(.)/, (_, c) => `"prevHash":"0x${c === '0' ? '1' : '0'}`);
  writeFileSync(join(dir, 'rows-relinked.jsonl'), relinked.join('\n'));
  writeFileSync(join(dir, 'cut.json'), JSON.stringify({ parts, cut: cut + 1 }));
  // 96 wave.consumed rows of 1 MB: few rows, but every range keeps megabytes of their strings
  // for the join, so range workers hand over many summaries (red team 03).
  const zero = `0x${'0'.repeat(64)}`;
  const consumed = (seq) =>
    `{"seq":${seq},"customerId":"cust-0042","prevHash":"${zero}","thisHash":"${zero}","action":"wave.consumed","waveId":"${'w'.repeat(1_000_000)}"}\n`;
  writeFileSync(join(dir, 'rows-consumed.jsonl'), Array.from({ length: 96 }, (_, i) => consumed(i + 1)).join(''));
  // Eight copies (200 MB): long enough to Cancel while every worker reads, even on a
  // loaded machine (four once ended before the click, with the Cancel button gone).
  writeFileSync(join(dir, 'rows-big.jsonl'), Buffer.concat(Array(8).fill(bytes)));
});

/** Counts the worker's messages: the report's `ranges` and every worker's memory. */
function observeWorker() {
  window.__reports = [];
  window.__progress = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const m = JSON.parse(e.data);
        if (m.type === 'report') window.__reports.push({ ranges: m.ranges, memory: m.memory, held: m.held });
        if (m.type === 'progress') window.__progress.push(m);
      });
    }
  };
}

/** Patches of the served worker.js (the page's worker only: Chromium does not route the
 * requests of the workers it starts): one worker reads every export; the page's worker
 * pauses after each slice of the first range (so range workers run ahead of the join). */
const PATCHES = {
  oneWorker: ['const PARALLEL_FROM = 16 << 20;', 'const PARALLEL_FROM = Infinity;'],
  slowFirstRange: [
    '    verifier.push(slice);\n    ownRows = verifier.rowsRead();',
    '    verifier.push(slice);\n    await new Promise((r) => setTimeout(r, 400));\n    ownRows = verifier.rowsRead();',
  ],
};

/** Serve worker.js with the patches named in `options`, each required to apply. */
async function patchWorkerWith(context, options) {
  const patches = Object.entries(PATCHES).filter(([key]) => options[key]).map(([, p]) => p);
  if (patches.length) {
    await patchWorker(context, (served) => patches.reduce((text, [from, to]) => replaceRequired(text, from, to), served));
  }
}

async function verifyDrop(page, context, names, options = {}) {
  await patchWorkerWith(context, options);
  await page.addInitScript(observeWorker);
  await open(page);
  // Loaded: the page's worker says "ready" only once every range worker has loaded.
  await page.waitForLoadState('load');
  const after = [];
  context.on('request', (r) => after.push(r.url()));
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(dir, n)));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /.+/, { timeout: 200_000 });
  const [report] = await page.evaluate(() => window.__reports);
  const progress = await page.evaluate(() => window.__progress);
  return {
    verdict: await page.getByTestId('verdict').getAttribute('data-verdict'),
    result: await page.locator('.result-slot').textContent(),
    ranges: report.ranges,
    memory: report.memory,
    held: report.held,
    progress,
    requests: after,
  };
}

for (const [name, verdict, failing] of [
  ['rows.jsonl', 'verified', []],
  ['rows-edited.jsonl', 'failed', ['rows.hash', 'rows.link']],
  ['rows-relinked.jsonl', 'failed', ['rows.link', 'rows.hash']],
]) {
  test(`${name}: the ranges joined give the one-worker report (${verdict})`, async ({ browser }) => {
    const { parts: n } = JSON.parse(readFileSync(join(dir, 'cut.json'), 'utf8'));
    const run = async (oneWorker) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = watch(page);
      const r = await verifyDrop(page, context, [name, 'rows-receipts.jsonl', 'jwks.json'], { oneWorker });
      expect(problems).toEqual([]);
      await context.close();
      return r;
    };
    const many = await run(false);
    expect(many.ranges, 'the multi-worker path was taken').toBe(n);
    expect(many.memory.length).toBe(n);
    expect(many.requests, 'no request after load').toEqual([]);
    expect(many.verdict).toBe(verdict);
    for (const id of failing) expect(many.result).toContain(id);
    // The row at the cut was read by a range worker; only the join can see its link
    // broken (its own hash breaks too, as prevHash is hashed). The line: tests/node/ranges.
    // Progress: summed over the workers, with rows and memory for every worker.
    const last = many.progress.at(-1);
    expect(last.done).toBe(last.total);
    expect(last.rows).toBe(ROWS);
    expect(last.memory.length).toBe(n);
    for (const bytes of last.memory) expect(bytes).toBeLessThanOrEqual(64 << 20);
    const one = await run(true);
    expect(one.ranges, 'the one-worker control').toBe(1);
    expect(one.verdict).toBe(many.verdict);
    expect(one.result).toBe(many.result);
  });
}

test('range workers wait for the join: the coordinator holds at most two summaries of each (red team 03)', async ({ browser }) => {
  const { parts: n } = JSON.parse(readFileSync(join(dir, 'cut.json'), 'utf8'));
  const run = async (options) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const r = await verifyDrop(page, context, ['rows-consumed.jsonl', 'rows-receipts.jsonl', 'jwks.json'], options);
    expect(problems).toEqual([]);
    await context.close();
    return r;
  };
  // The first range is read slowly, so each range worker reads its 48 MB (about six
  // summaries' worth) long before the join reaches it: without the wait all would pile up.
  const many = await run({ slowFirstRange: true });
  expect(many.ranges, 'the multi-worker path was taken').toBe(n);
  expect(many.held, 'summaries of one range worker held by the coordinator at once').toBeLessThanOrEqual(2);
  expect(many.held, 'positive control: summaries were handed over and joined').toBeGreaterThanOrEqual(1);
  expect(many.verdict).toBe('failed');
  expect(many.result).toContain('rows.hash');
  for (const bytes of many.memory) expect(bytes).toBeLessThanOrEqual(64 << 20);
  const one = await run({ oneWorker: true });
  expect(one.ranges).toBe(1);
  expect(one.result).toBe(many.result);
});

/** Every text the progress line and the live region show, as they change. */
function recordTexts() {
  window.__shown = { progress: [], status: [] };
  new MutationObserver(() => {
    for (const [key, id] of [['progress', 'progress-detail'], ['status', 'status']]) {
      const text = document.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
      const seen = window.__shown[key];
      if (text && seen.at(-1) !== text) seen.push(text);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

test('progress is shown outside the live region; Cancel reaches every worker with no request', async ({ page, context }) => {
  const problems = watch(page);
  await page.addInitScript(observeWorker);
  await page.addInitScript(recordTexts);
  const atLoad = [];
  context.on('request', (r) => atLoad.push(r.url()));
  await open(page);
  // Loaded: the page's worker says "ready" only once every range worker has loaded.
  await page.waitForLoadState('load');
  // Every range worker loaded its script with the page (so the check below can see a
  // worker's requests), not on demand.
  const { parts: n } = JSON.parse(readFileSync(join(dir, 'cut.json'), 'utf8'));
  expect(atLoad.filter((u) => new URL(u).pathname === '/worker.js').length).toBe(n);
  const after = [];
  context.on('request', (r) => after.push(r.url()));
  const files = (...names) => names.map((n) => join(dir, n));
  await page.getByTestId('file-input').setInputFiles(files('rows-big.jsonl', 'rows-receipts.jsonl', 'jwks.json'));
  const detail = page.getByTestId('progress-detail');
  await expect(detail).toContainText(/ rows · .* workers, WebAssembly memory up to/, { timeout: 60_000 });
  // About 10 times a second: a few updates, then Cancel while every worker reads.
  await expect.poll(() => page.evaluate(() => window.__shown.progress.length), { timeout: 10_000 }).toBeGreaterThan(2);
  // Clicked at once (no wait for the button to settle): it must still be reading.
  const clicked = await page.evaluate(() => {
    const button = document.querySelector('[data-testid=cancel]');
    button?.click();
    return Boolean(button);
  });
  expect(clicked, 'the export was still being read when Cancel was clicked').toBe(true);
  await expect(page.getByTestId('status')).toContainText('Cancelled');
  await expect(detail).toHaveText('');
  const shown = await page.evaluate(() => window.__shown);
  // The receipts file may be read first: its progress says "N receipts" and no rows
  // (progress.rs), so every line is a progress line, and the rows show up in some.
  const progressLine = /^\d+\.\d MB of \d+\.\d MB · [\d,]+ (rows|receipts)( ·|$)/;
  expect(shown.progress.filter((t) => !progressLine.test(t)), 'every progress text is a progress line').toEqual([]);
  expect(shown.progress.some((t) => / rows /.test(t))).toBe(true);
  expect(shown.status.filter((t) => /MB of |\d (rows|receipts)\b/.test(t)), 'the live region is not where the numbers go').toEqual([]);
  // Every worker stopped between slices and still works: change the files, verify again.
  await page.waitForTimeout(2000);
  await page.getByRole('button', { name: 'Remove rows-big.jsonl' }).click();
  await page.getByTestId('file-input').setInputFiles(files('rows.jsonl'));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified', { timeout: 200_000 });
  const reports = await page.evaluate(() => window.__reports);
  expect(reports.at(-1).ranges).toBeGreaterThan(1);
  expect(after).toEqual([]);
  expect(problems).toEqual([]);
});
