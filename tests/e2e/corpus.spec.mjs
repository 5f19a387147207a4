// A handful of bad-input cases (tests/bad-inputs/cases.json, issue 9 §5) end to end in the
// real page: the case's files are dropped on the drop zone and the banner's data-verdict is
// asserted. The page publishes the demo JWKS, so a case's key equal to it counts as published.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';

const root = new URL('../../', import.meta.url).pathname;
const dir = `${root}tests/bad-inputs/`;
const manifest = JSON.parse(readFileSync(`${dir}cases.json`, 'utf8'));
const byName = new Map(manifest.cases.map((c) => [c.name, c]));

/** The files of case `name` with its expectation, read from the manifest (fails if the case is gone). */
function corpusCase(name) {
  const c = byName.get(name);
  expect(c, `case ${name} in cases.json`).toBeTruthy();
  const files = c.files.map((f) => ({ name: f.path.split('/').pop(), base64: readFileSync(dir + f.path).toString('base64') }));
  return { ...c, files };
}

async function dropCase(page, files) {
  const zone = page.getByTestId('dropzone').first();
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.base64), (ch) => ch.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: 'application/octet-stream' }));
    }
    return dt;
  }, files);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

async function open(page, path = '/') {
  await page.goto(path);
  await expect(page.getByTestId('published-fingerprint').first()).toHaveText(/^[0-9a-f]{64}$/);
}

// [case, data-verdict in the page, failed ids on the banner (distinct, any order)]
const CASES = [
  // Positive controls: the demo key is the page's published key.
  ['positive-receipts-pem', 'verified', []],
  ['positive-demo-set', 'verified', []],
  // A truncated PEM of the visitor's: refused, never a fallback to the published keys, under
  // which the same receipts verify.
  ['pem-truncated', 'failed', null],
  // A row export whose rows no receipt seals: the receipt file holds only approvals (the
  // core says rows.sealed), or is empty (the page refuses it on its chip, naming it).
  ['verdict-rows-only-approvals', 'failed', ['rows.sealed']],
  ['verdict-rows-empty-receipt-file', 'failed', { refused: 'receipts.jsonl' }],
];

for (const [name, verdict, failed] of CASES) {
  test(`bad-input case ${name} in the page: data-verdict ${verdict}`, async ({ page }) => {
    const c = corpusCase(name);
    expect(c.expect.verdict ?? 'failed').toBe(verdict === 'failed' ? 'failed' : 'verified');
    await open(page);
    await dropCase(page, c.files);
    await expect(page.getByTestId('chip')).toHaveCount(c.files.length);
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', verdict);
    if (Array.isArray(failed) && failed.length) {
      const text = await page.getByTestId('failing').textContent();
      const ids = text.replace(/^Failed:\s*/, '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      expect(ids).toEqual([...failed].sort());
      expect(ids).toEqual([...c.expect.failed].sort());
    }
    if (failed === null) {
      // Refused on its chip and named in the result.
      await expect(page.getByTestId('refused')).toContainText(c.files.find((f) => f.name.endsWith('.pem')).name);
    }
    if (failed?.refused) {
      await expect(page.getByTestId('refused')).toContainText(failed.refused);
      await expect(page.getByTestId('failing')).toHaveCount(0);
    }
  });
}

test('bad-input case: a share link carrying the corpus JWKS is refused and changes no key', async ({ page }) => {
  const jwks = readFileSync(`${dir}common/jwks.json`);
  await open(page, `/#receipt=${jwks.toString('base64url')}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('refused')).toContainText('a share link carries a receipt and nothing else');
  await expect(page.getByTestId('only-my-keys')).not.toBeChecked();
  // The key set is still the published one: a receipt dropped now verifies under it alone.
  await page.getByRole('button', { name: /^Remove / }).first().click();
  const c = corpusCase('positive-receipts-pem');
  await dropCase(page, c.files.filter((f) => !f.name.endsWith('.pem')));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
});

test('bad-input case rows-given-as-receipts: the page waits for a receipt, and a role chosen on the chip fails', async ({ page }) => {
  const c = corpusCase('rows-given-as-receipts');
  expect(c.expect.verdict).toBe('failed');
  await open(page);
  await dropCase(page, c.files);
  await expect(page.getByTestId('chip')).toHaveCount(2);
  // Classified by shape: a row export and keys, so no verdict yet (nothing is shown as verified).
  await expect(page.getByTestId('status')).toContainText('Add a receipt');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  // The visitor reads it as receipts on its chip: the core reads every row as a receipt.
  await page.getByRole('combobox', { name: 'Use rows.jsonl as' }).selectOption('receipts');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'failed');
  await expect(page.getByTestId('failing')).toContainText('verdict.signature');
});
