// The trust-center page end to end, against the release build (the embed: embed.spec.mjs).
import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { root, example, SHOTS, drop, watch, open, slowRowReading, patchWorker, replaceRequired } from './helpers.mjs';

test('the demo receipt and key verify; the result names the key and where it came from', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  await expect(page.getByTestId('verdict')).not.toContainText('Not verified');
  await expect(page.getByTestId('chip')).toHaveCount(2);
  await expect(page.getByTestId('chip').nth(0)).toContainText('chain of 6 receipts');
  await expect(page.getByTestId('chip').nth(1)).toContainText('8845f274');
  // The dropped PEM is added to the published keys; it is the published audit key, so it
  // counts as published (same SPKI fingerprint).
  await expect(page.getByTestId('only-my-keys')).not.toBeChecked();
  await expect(page.getByTestId('key-used').first()).toContainText('published by the vendor');
  await expect(page.getByTestId('key-used').first()).toContainText('8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17');
  await expect(page.getByTestId('status')).toHaveText('Verified');
  await expect(page.getByTestId('recipe')).toContainText("grep -m 1 '[^[:space:]]' 'receipts.jsonl' > receipt.json");
  expect(problems).toEqual([]);
});

test('with "use only keys I provide", a copy of a published key is the visitor\'s, not the vendor\'s (red team 14)', async ({ page }) => {
  await open(page);
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  // Control: added to the published keys, the vendor's entry (window, status, roles) is checked too.
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await page.getByTestId('only-my-keys').check();
  // Only the PEM reaches the core: nothing the vendor publishes about that key was used.
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified-unpublished-key');
  await expect(page.getByTestId('verdict')).not.toContainText('Verified');
  await expect(page.getByTestId('unpublished')).toContainText('what they say of revocation, validity and roles, are not used');
  await expect(page.getByTestId('key-used').first()).toContainText('your own key');
  await expect(page.getByTestId('key-used').first()).not.toContainText('published by the vendor');
  await expect(page.getByTestId('status')).toContainText('keys you provided');
});

test('a second share link opened in the same tab replaces the first one\'s receipt (red team 14)', async ({ page }) => {
  const b64url = (text) => Buffer.from(text).toString('base64url');
  const good = example('receipts.jsonl').text.split('\n')[0];
  await open(page, `/#receipt=${b64url(good)}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  // Only the fragment changes: the page is not loaded again.
  await page.evaluate((h) => { location.hash = h; }, `#receipt=${b64url(example('tampered/receipt-edited.json').text)}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
  await expect(page.getByTestId('chip')).toHaveCount(1);
  // A link that cannot be read removes the shared receipt and says why.
  await page.evaluate(() => { location.hash = '#receipt=***'; });
  await expect(page.getByTestId('link-refused')).toContainText('not a base64url');
  await expect(page.getByTestId('chip')).toHaveCount(0);
  // An anchor in the page leaves what is there.
  await page.evaluate((h) => { location.hash = h; }, `#receipt=${b64url(good)}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await page.evaluate(() => { location.hash = '#verify'; });
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('chip')).toHaveCount(1);
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
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  expect(problems).toEqual([]);
});

test('a file that is not a receipt gets a clear message and nothing breaks', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  await drop(page, [{ name: 'notes.txt', text: 'quarterly review notes\n' }]);
  const chip = page.getByTestId('chip');
  await expect(chip).toContainText('not recognised');
  await expect(chip.locator('.chip-reason')).not.toBeEmpty();
  // Never left out silently: the result is Not verified and names the file.
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('refused')).toContainText('notes.txt');
  await expect(page.getByTestId('status')).toContainText('Not verified: cannot use notes.txt');
  await chip.getByRole('button', { name: 'Remove notes.txt' }).click();
  await expect(page.getByTestId('chip')).toHaveCount(0);
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a broken key file of the visitor\'s never falls back to the published keys', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  // The receipts verify under the published keys; the broken PEM must still fail the result.
  await drop(page, [example('receipts.jsonl'), { name: 'broken.pem', text: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('refused')).toContainText('broken.pem');
  await expect(page.getByTestId('chip').nth(1)).toContainText('broken.pem');
  // Positive control: without it, the same receipts verify.
  await page.getByRole('button', { name: 'Remove broken.pem' }).click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  expect(problems).toEqual([]);
});

/** The first demo receipt, re-signed (RS256) under a fresh key the vendor does not publish. */
function foreignReceipt() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const receipt = JSON.parse(example('receipts.jsonl').text.split('\n')[0]);
  receipt.kid = 'visitor/own/1';
  delete receipt.thisHash;
  delete receipt.signature;
  // JCS of this flat object of strings and a small integer: sorted members, no spaces.
  const m = JSON.stringify(Object.fromEntries(Object.keys(receipt).sort().map((k) => [k, receipt[k]])));
  receipt.thisHash = `0x${createHash('sha256').update(m).digest('hex')}`;
  receipt.signature = createSign('sha256').update(m).sign(privateKey).toString('base64');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'visitor/own/1', alg: 'RS256', use: 'sig' };
  return [{ name: 'forged.json', text: JSON.stringify(receipt) }, { name: 'my-keys.json', text: JSON.stringify({ keys: [jwk] }) }];
}

test('a receipt valid only under the visitor\'s own key is not a plain Verified', async ({ page }) => {
  await open(page);
  await drop(page, foreignReceipt());
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified-unpublished-key');
  await expect(page.getByTestId('unpublished')).toContainText("is not one of Northwind Ledger's published keys");
  await expect(page.getByTestId('unpublished')).toContainText('visitor/own/1');
  await expect(page.getByTestId('status')).not.toHaveText('Verified');
  // Positive control: the published key's own copy counts as published.
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
});

test('a dropped chain split over two files keeps drop order', async ({ page }) => {
  await open(page);
  const lines = example('receipts.jsonl').text.trimEnd().split('\n');
  const first = lines.slice(0, 3).join('\n') + '\n';
  await drop(page, [{ name: 'part-1.jsonl', text: first }, { name: 'part-2.jsonl', text: lines.slice(3).join('\n') + '\n' }]);
  await expect(page.getByTestId('chip').nth(0)).toContainText('part-1.jsonl');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('failing')).toHaveCount(0);
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
  // The address bar is left alone; the link is an explicit action.
  expect(page.url()).not.toContain('#receipt=');
  await page.getByTestId('share-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#receipt=[A-Za-z0-9_-]+$/);
  expect(page.url()).not.toContain('#receipt=');
  const other = await context.newPage();
  const requests = [];
  other.on('request', (r) => requests.push(r.url()));
  await other.goto(url);
  await expect(other.getByTestId('chip')).toContainText('shared-receipt.json');
  await expect(other.getByTestId('verdict')).toContainText('Not verified');
  expect(requests.filter((u) => u.includes('receipt=')).length).toBe(0);
});

test('a share link never changes the key set: a JWKS, bad base64 or an oversized fragment is refused', async ({ page }) => {
  const b64url = (text) => Buffer.from(text).toString('base64url');
  // A JWKS in the fragment: refused with a visible message, the published keys stay.
  await open(page, `/#receipt=${b64url(example('jwks.json').text)}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('refused')).toContainText('a share link carries a receipt and nothing else');
  await expect(page.getByTestId('only-my-keys')).not.toBeChecked();
  for (const [fragment, words] of [['#receipt=***not-base64***', 'not a base64url'], [`#receipt=${'A'.repeat(30000)}`, 'characters long']]) {
    await page.goto('/about:blank');
    await open(page, `/${fragment}`);
    await expect(page.getByTestId('link-refused')).toContainText(words);
    await expect(page.getByTestId('chip')).toHaveCount(0);
  }
  // Positive control: a receipt in the fragment is verified with the published keys.
  await page.goto('/about:blank');
  await open(page, `/#receipt=${b64url(example('tampered/receipt-edited.json').text)}`);
  await expect(page.getByTestId('chip')).toContainText('shared-receipt.json');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
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

test('a large row export shows progress and can be cancelled, with no request', async ({ page, context }) => {
  await slowRowReading(context);
  await open(page);
  await page.waitForLoadState('networkidle');
  const after = [];
  context.on('request', (r) => after.push(r.url()));
  const rows = example('rows.jsonl').text;
  const big = rows.repeat(Math.ceil((48 << 20) / rows.length));
  await drop(page, [example('receipts.jsonl'), { name: 'big-rows.jsonl', text: big }]);
  await expect(page.locator('progress')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('status')).toContainText('Cancelled');
  // Focus stays in the widget instead of dropping to the page body.
  expect(await page.evaluate(() => document.activeElement?.dataset?.testid)).toBe('choose');
  // The same worker stopped between slices and still works: nothing was loaded again
  // (a worker replaced after the 1.5 s grace would fetch worker.js and the wasm).
  await page.waitForTimeout(2000);
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toContainText('Verified');
  expect(after).toEqual([]);
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

test('a worker whose wasm trapped is replaced; the demo works again', async ({ page, context }) => {
  // The worker as served, plus a poison: after a trap every request fails as a trapped
  // instance does ("unreachable") until the page replaces the worker.
  await patchWorker(context, (served) => replaceRequired(served, 'onmessage = async (event) => {', `let poisoned = false;
onmessage = async (event) => {
  if (poisoned || String(event.data[0]).includes('trap.json')) {
    poisoned = true;
    const request = JSON.parse(event.data[0]);
    send('error', { id: request.id, message: 'unreachable', fatal: true });
    return;
  }`));
  await open(page);
  await drop(page, [{ name: 'trap.json', text: '{}' }]);
  await expect(page.getByTestId('chip')).toContainText('unreachable');
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
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

test('after a drop of many files the verdict stays close to the drop zone (the chip list is bounded)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  const edited = example('tampered/receipt-edited.json').text;
  const gap = async () => page.evaluate(() => {
    const zone = document.querySelector('[data-testid=dropzone]').getBoundingClientRect();
    const verdict = document.querySelector('[data-testid=verdict]').getBoundingClientRect();
    return verdict.top - zone.bottom;
  });
  await drop(page, [{ name: 'one.json', text: edited }]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  const few = await gap();
  await page.getByRole('button', { name: 'Remove one.json' }).click();
  const many = Array.from({ length: 120 }, (_, i) => ({ name: `receipt-with-a-long-name-${String(i).padStart(3, '0')}.json`, text: edited }));
  await drop(page, many);
  await expect(page.getByTestId('chip')).toHaveCount(120);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  const after = await gap();
  // 120 chips wrap to dozens of rows; bounded, the list adds at most its own max height.
  expect(after - few).toBeLessThan(260);
  await page.evaluate(() => document.querySelector('[data-testid=dropzone]').scrollIntoView({ block: 'start' }));
  await expect(page.getByTestId('verdict')).toBeInViewport();
});
