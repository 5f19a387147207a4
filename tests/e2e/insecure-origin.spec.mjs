// The page and the embed served from an origin that is not a secure context (plain http://
// under a host name, not localhost): the browser offers no WebCrypto there. Their verifier
// wasm has no RustCrypto (issue 10 lets a bundle leave it out if it then says plainly that it
// cannot verify), so they must verify nothing and say why, never show a verdict of
// "Verified". The same files verify from 127.0.0.1 (verifier.spec.mjs, embed.spec.mjs).
import { test, expect } from '@playwright/test';
import config, { PORT } from './playwright.config.mjs';
import { example, drop, watch, open } from './helpers.mjs';

const HOST = 'verifier-insecure.test';
test.use({
  baseURL: `http://${HOST}:${PORT}`,
  launchOptions: {
    ...config.use.launchOptions,
    args: [...config.use.launchOptions.args, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
  },
});

const SAYS_WHY = /no WebCrypto.*nothing was verified/;

test('the page on an insecure origin checks no signature and says why', async ({ page }) => {
  const problems = watch(page);
  await open(page);
  expect(await page.evaluate(() => [window.isSecureContext, typeof globalThis.crypto?.subtle])).toEqual([false, 'undefined']);
  await drop(page, [example('receipts.jsonl'), example('audit-key.pub.pem')]);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('status')).toContainText('Not verified: this browser offers no WebCrypto');
  await expect(page.getByTestId('failure')).toContainText(SAYS_WHY);
  await expect(page.getByTestId('verdict')).not.toContainText(/^Verified/);
  expect(problems).toEqual([]);
});

test('the embed on an insecure origin checks no signature and says why', async ({ page }) => {
  const problems = watch(page);
  await open(page, '/embed/example.html');
  await page.getByTestId('demo-good').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('failure')).toContainText(SAYS_WHY);
  expect(problems).toEqual([]);
});
