// The trust-center page and the embed, end to end, against the release build.
import { readFileSync, mkdirSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const root = new URL('../../', import.meta.url).pathname;
const example = (name) => ({ name: name.split('/').pop(), text: readFileSync(`${root}examples/${name}`, 'utf8') });
const SHOTS = `${root}tests/e2e/screenshots`;
mkdirSync(SHOTS, { recursive: true });

/** Drop files on the drop zone the way a browser does: dragover, then drop with a DataTransfer. */
async function drop(page, files, target = '[data-testid=dropzone]') {
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
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

async function open(page, path = '/') {
  await page.goto(path);
  // Loaded: the worker has inspected the published keys (fingerprints are filled in).
  if (path === '/' || path.startsWith('/#')) {
    await expect(page.getByTestId('published-fingerprint').first()).toHaveText(/^[0-9a-f]{64}$/);
  } else {
    await expect(page.getByTestId('dropzone')).toBeVisible();
  }
}

test('the demo receipt and key verify; the result names the key and where it came from', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await expect(page.getByTestId('verdict')).not.toContainText('Not verified');
  await expect(page.getByTestId('chip')).toHaveCount(2);
  await expect(page.getByTestId('chip').nth(0)).toContainText('chain of 6 receipts');
  await expect(page.getByTestId('chip').nth(1)).toContainText('8845f274');
  // A dropped PEM without a kid takes precedence over the published keys.
  await expect(page.getByTestId('key-used')).toContainText('your file audit-key.pub.pem');
  await expect(page.getByTestId('key-used')).toContainText('8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17');
  await expect(page.getByTestId('recipe')).toContainText("head -n 1 'receipts.jsonl' > receipt.json");
  expect(problems).toEqual([]);
});

test('a tampered receipt is not verified and the failing checks are named with expected and actual', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  await drop(page, [example('tampered/receipt-edited.json')]);
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
  await expect(page.getByTestId('failing')).toContainText('receipt.signature');
  const failed = page.locator('tr.fail', { hasText: 'receipt.hash' });
  await expect(failed).toContainText('expected');
  await expect(failed).toContainText('receipt-edited.json');
  // No key verified the edited receipt; the result still says which key was tried and where from.
  await expect(page.getByTestId('key-used')).toHaveCount(0);
  await expect(page.getByTestId('key-tried').first()).toContainText('published: jwks.json');
  expect(problems).toEqual([]);
});

test('a file that is not a receipt gets a clear message and nothing breaks', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  await drop(page, [{ name: 'notes.txt', text: 'quarterly review notes\n' }]);
  const chip = page.getByTestId('chip');
  await expect(chip).toContainText('not recognised');
  await expect(chip.locator('.chip-reason')).not.toBeEmpty();
  await expect(page.getByTestId('status')).toContainText('Add a receipt');
  await chip.getByRole('button', { name: 'Remove notes.txt' }).click();
  await expect(page.getByTestId('chip')).toHaveCount(0);
  // An unusable key file is a failure with the core's message, not a crash.
  await drop(page, [example('receipts.jsonl'), { name: 'broken.pem', text: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }]);
  await expect(page.getByTestId('chip').nth(1)).toContainText('not recognised');
  expect(problems).toEqual([]);
});

test('keyboard only: choose files, then verify', async ({ page }) => {
  // Listen first: Playwright intercepts the file dialog only once a listener exists.
  const chooser = page.waitForEvent('filechooser');
  await open(page);
  let focused = '';
  for (let i = 0; i < 40 && focused !== 'choose'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.dataset?.testid || '');
  }
  expect(focused).toBe('choose');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles([`${root}examples/receipts.jsonl`, `${root}examples/approvals.json`]);
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await expect(page.getByTestId('key-used').first()).toContainText('published by the vendor (jwks.json)');
});

test('the paste box and the "only my keys" toggle', async ({ page }) => {
  await open(page);
  await page.getByText('Paste a receipt or key instead').click();
  await page.getByTestId('paste-box').fill(example('tampered/receipt-edited.json').text);
  await page.getByTestId('paste-add').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await page.getByTestId('only-my-keys').check();
  await expect(page.getByTestId('status')).toContainText('Add a public key');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
});

test('share link round trip: the receipt travels in the fragment only', async ({ page, context }) => {
  await open(page);
  await page.getByTestId('demo-tampered').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  const url = page.url();
  expect(url).toMatch(/#receipt=[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  const requests = [];
  other.on('request', (r) => requests.push(r.url()));
  await other.goto(url);
  await expect(other.getByTestId('chip')).toContainText('shared-receipt.json');
  await expect(other.getByTestId('verdict')).toContainText('Not verified');
  expect(requests.filter((u) => u.includes('receipt=')).length).toBe(0);
});

test('no request of any kind after the page has loaded', async ({ page, context }) => {
  const problems = watch(page);
  await open(page);
  await page.waitForLoadState('networkidle');
  const after = [];
  context.on('request', (r) => after.push(r.url()));
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await page.getByTestId('demo-tampered').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await drop(page, [example('rows.jsonl'), example('jwks.json')]);
  await expect(page.getByTestId('chip')).toHaveCount(3);
  await page.waitForTimeout(500);
  expect(after).toEqual([]);
  expect(problems).toEqual([]);
});

test('a large row export shows progress and can be cancelled', async ({ page }) => {
  await open(page);
  const rows = example('rows.jsonl').text;
  const big = rows.repeat(Math.ceil((48 << 20) / rows.length));
  await drop(page, [example('receipts.jsonl'), { name: 'big-rows.jsonl', text: big }]);
  await expect(page.locator('progress')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('status')).toContainText('Cancelled');
  // The restarted worker still works.
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toContainText('Verified');
});

test('the embed works on a host page', async ({ page }) => {
  const problems = watch(page);
  const wasm = [];
  page.context().on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
  await open(page, '/embed/example.html');
  await expect(page.locator('[data-receipt-verifier] [data-testid=verifier]')).toBeVisible();
  // The host's own sample files (data-demo, data-demo-tampered), checked with its JWKS.
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await expect(page.getByTestId('key-used').first()).toContainText('published by the vendor (jwks.json)');
  await page.getByTestId('demo-tampered').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
  // Dropped files replace the demo; a dropped PEM is the key used.
  await page.getByRole('button', { name: 'Remove receipt-edited.json' }).click();
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await expect(page.getByTestId('key-used').first()).toContainText('your file audit-key.pub.pem');
  await page.screenshot({ path: `${SHOTS}/embed-verified-1280.png`, fullPage: true });
  expect(page.url()).not.toContain('#receipt=');
  // One wasm file holds widget and core: the page and the worker load the same one.
  expect([...new Set(wasm)]).toEqual(['/embed/embed_bg.wasm']);
  const axe = await new AxeBuilder({ page }).include('[data-receipt-verifier]').analyze();
  expect(axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact))).toEqual([]);
  expect(problems).toEqual([]);
});

test('security.txt is RFC 9116 and Expires is within the next year', async ({ request }) => {
  const res = await request.get('/.well-known/security.txt');
  expect(res.ok()).toBe(true);
  const text = await res.text();
  for (const field of ['Contact', 'Expires', 'Policy', 'Preferred-Languages', 'Canonical']) {
    expect(text).toMatch(new RegExp(`^${field}: \\S`, 'm'));
  }
  const expires = Date.parse(text.match(/^Expires: (.+)$/m)[1]);
  const now = Date.now();
  expect(expires).toBeGreaterThan(now);
  expect(expires).toBeLessThanOrEqual(now + 366 * 24 * 3600 * 1000);
});

for (const state of ['initial', 'verified', 'not-verified']) {
  test(`axe-core: no serious or critical violations (${state})`, async ({ page }) => {
    await open(page);
    if (state === 'verified') await page.getByTestId('demo-good').click();
    if (state === 'not-verified') await page.getByTestId('demo-tampered').click();
    if (state !== 'initial') await expect(page.getByTestId('verdict')).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target})`);
    expect(bad).toEqual([]);
  });
}

for (const width of [1280, 390]) {
  test(`screenshots at ${width} px, verified and not verified`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await open(page);
    for (const [button, name, verdict] of [['demo-good', 'verified', 'Verified'], ['demo-tampered', 'not-verified', 'Not verified']]) {
      await page.getByTestId(button).click();
      await expect(page.getByTestId('verdict')).toContainText(verdict);
      await page.getByTestId('verdict').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
    // Nothing is wider than the viewport (responsive down to phone widths).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test.describe('dark colour scheme', () => {
  test.use({ colorScheme: 'dark' });
  test('axe-core passes and the not-verified state is screenshotted', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page);
    await page.getByTestId('demo-tampered').click();
    await expect(page.getByTestId('verdict')).toContainText('Not verified');
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target})`);
    expect(bad).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/not-verified-1280-dark.png`, fullPage: true });
  });
});

test('the embed does not restyle its host page', async ({ page }) => {
  await open(page, '/embed/example.html');
  const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const h1 = await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily);
  // Chromium defaults: transparent body, serif text, untouched by the widget's stylesheet.
  expect(body).toBe('rgba(0, 0, 0, 0)');
  expect(h1).not.toContain('system-ui');
  await expect(page.locator('link[data-receipt-verifier-style]')).toHaveCount(1);
});

test('nothing overflows at 360 px, the narrowest supported width', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page);
  await page.getByTestId('demo-tampered').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await page.locator('details.checks[open]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
