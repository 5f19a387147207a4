// The embeddable verifier on host pages, end to end against the release build (dist/embed/).
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { root, example, SHOTS, drop, watch, open, slowRowReading } from './helpers.mjs';

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
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await page.getByTestId('demo-tampered').click();
  await expect(page.getByTestId('verdict')).toContainText('Not verified');
  await expect(page.getByTestId('failing')).toContainText('receipt.hash');
  // A dropped PEM is added to the host's keys; it is the published key, so still published.
  await page.getByRole('button', { name: 'Remove receipt-edited.json' }).click();
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('key-used').first()).toContainText('published by the vendor');
  await page.screenshot({ path: `${SHOTS}/embed-verified-1280.png`, fullPage: true });
  expect(page.url()).not.toContain('#receipt=');
  // One wasm file holds widget and core: the page and the worker load the same one.
  expect([...new Set(wasm)]).toEqual(['/embed/embed_bg.wasm']);
  // The widget itself causes no error or CSP violation; axe-core, the test's own tool, then
  // adds a <style> element inside the shadow root, which the host's `style-src 'self'` blocks.
  expect(problems).toEqual([]);
  const axe = await new AxeBuilder({ page }).include('[data-receipt-verifier]').analyze();
  expect(axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact))).toEqual([]);
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

/** A host page of our own making: Bootstrap-like rules, and embeds added in `body`. */
async function host(page, body) {
  await page.route('**/embed/test-host.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
      <style>.progress{display:none!important;height:1rem;overflow:hidden} button{display:none} .verifier{font-size:2px}
      .chip,.verdict,progress{visibility:hidden}</style></head>
      <body><main>${body}</main><script type="module" src="/embed/receipt-verifier.js"></script></body></html>`,
  }));
  await page.goto('/embed/test-host.html');
}

test('the embed keeps its layout against host CSS, mounts late elements, and says when data-keys fails', async ({ page }) => {
  const problems = watch(page);
  await slowRowReading(page.context());
  await host(page, '<div id="a" data-receipt-verifier data-keys="/jwks.json" data-vendor="Example Corp"></div>');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  const rows = example('rows.jsonl').text;
  await drop(page, [example('receipts.jsonl'), { name: 'big-rows.jsonl', text: rows.repeat(Math.ceil((48 << 20) / rows.length)) }]);
  // The host's .progress and button rules do not reach into the widget.
  await expect(page.locator('progress')).toBeVisible();
  await expect(page.getByTestId('cancel')).toBeVisible();
  const box = await page.getByTestId('cancel').boundingBox();
  expect(box.width).toBeGreaterThan(20);
  expect(box.height).toBeGreaterThan(10);
  await page.getByTestId('cancel').click();
  // An element added after load is mounted too; one whose data-keys cannot be fetched says so.
  await page.evaluate(() => {
    const d = document.createElement('div');
    d.id = 'late';
    d.dataset.receiptVerifier = '';
    d.dataset.keys = '/no-such-keys.json';
    document.querySelector('main').append(d);
  });
  const late = page.locator('#late');
  await expect(late.getByTestId('dropzone')).toBeVisible();
  await expect(late.getByTestId('keys-unavailable')).toContainText('/no-such-keys.json');
  await drop(page, [example('receipts.jsonl')], '#late [data-testid=dropzone]');
  await expect(late.getByTestId('status')).toContainText('could not be fetched');
  expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
});

test('an embed without data-keys: a pass is always under the visitor\'s own key', async ({ page }) => {
  await host(page, '<div data-receipt-verifier data-vendor="Example Corp"></div>');
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified-unpublished-key');
  await expect(page.getByTestId('unpublished')).toContainText('is your own');
  await expect(page.getByTestId('verdict')).not.toHaveClass(/\bok\b/);
});
