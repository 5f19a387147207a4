// Helpers shared by the end-to-end specs: files from examples/, dropping files the way a
// browser does, watching for errors, and opening a page once it has loaded.
import { readFileSync, mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';

export const root = new URL('../../', import.meta.url).pathname;
export const example = (name) => ({ name: name.split('/').pop(), text: readFileSync(`${root}examples/${name}`, 'utf8') });
export const SHOTS = `${root}tests/e2e/screenshots`;
mkdirSync(SHOTS, { recursive: true });

/** Drop files on the drop zone the way a browser does: dragover, then drop with a DataTransfer. */
export async function drop(page, files, target = '[data-testid=dropzone]') {
  const zone = page.locator(target).first();
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'application/octet-stream' }));
    return dt;
  }, files);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

/** Fail the test on any uncaught error, console error or CSP violation. */
export function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

export async function open(page, path = '/') {
  await page.goto(path);
  // Loaded: the worker has inspected the published keys (fingerprints are filled in).
  if (path === '/' || path.startsWith('/#')) {
    await expect(page.getByTestId('published-fingerprint').first()).toHaveText(/^[0-9a-f]{64}$/);
  } else {
    await expect(page.getByTestId('dropzone')).toBeVisible();
  }
}

/** Serve every worker.js (the page's and the embed's, whose is minified) so that reading a
 * row export takes longer: a pause after each slice the page's worker reads itself, and one
 * before the embed's single worker starts reading. A test that clicks Cancel while the
 * export is read then cannot find the read already over on a fast or a loaded machine (a
 * 48 MB export took about 0.4 s). It only widens the window a large export has. */
export async function slowRowReading(context) {
  const patches = [
    [/    verifier\.push\(slice\);\n    ownRows = verifier\.rowsRead\(\);/,
      '    verifier.push(slice);\n    await new Promise((r) => setTimeout(r, 300));\n    ownRows = verifier.rowsRead();'],
    [/Number\(await (\w+)\.readInOne\(\)\)/,
      'Number(await new Promise((r) => setTimeout(r, 1000)).then(() => $1.readInOne()))'],
  ];
  await patchWorker(context, (served, url) => {
    const applied = patches.filter(([from]) => from.test(served));
    expect(applied.length, `no slowing patch applies to ${url}`).toBeGreaterThan(0);
    for (const [from, to] of applied) served = served.replace(from, to);
    return served;
  });
}

/** Serve worker.js, the page's and the embed's, as `edit(text, url)` returns it. Only the
 * page's own requests are routed: Chromium does not route those of the range workers the
 * page's worker starts. */
export async function patchWorker(context, edit) {
  await context.route(/\/worker\.js(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = edit(await response.text(), route.request().url());
    await route.fulfill({ response, body });
  });
}

/** `text` with `from` replaced by `to`; the test fails if `from` is not in it, so a patch
 * that no longer applies cannot pass unnoticed. */
export function replaceRequired(text, from, to) {
  expect(text, 'the patch applies to worker.js as served').toContain(from);
  return text.replace(from, to);
}
