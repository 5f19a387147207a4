// The browser half of the benchmarks (issue 10 §5): headless Debian Chromium, the built page
// (dist/, scripts/web.sh) and the generated data (target/bench-data, `receipt demo --rows
// --receipts`). Prints markdown table rows "| work | ours | peer | ratio |" and a JSON line.
// Not a test: nothing here asserts a time. Usage:
//   node tests/bench/page.mjs DATA_DIR [--skip-year] [--skip-rs256] [--skip-rows]
// (--skip-rs256 leaves out the 50,000-receipt row, for a data set without that file.)
// Peers run in the same page: WebCrypto `verify` over the same manifests and signatures,
// WebCrypto `digest` over the same export bytes.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from '@playwright/test';

const root = resolve(new URL('../..', import.meta.url).pathname);
const data = resolve(process.argv[2] || join(root, 'target/bench-data'));
const skipYear = process.argv.includes('--skip-year');
const skipRs256 = process.argv.includes('--skip-rs256');
const skipRows = process.argv.includes('--skip-rows');
const dist = join(root, 'dist');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; " +
  "style-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'";
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

// dist/ at /, the data set at /data/ (only the peers fetch it; the page gets files by setInputFiles).
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const [base, rest] = path.startsWith('/data/') ? [data, path.slice(6)] : [dist, path];
  let file = normalize(join(base, rest));
  if (!file.startsWith(base)) return res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'content-security-policy': CSP });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const rows = [];
const results = {};
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const row = (work, ours, peer, ratio) => rows.push(`| ${work} | ${ours} | ${peer} | ${ratio} |`);

// Long tasks on the main thread, and the verifier's wasm memory as the workers report it.
// WebAssembly memory only grows, so the last figure a worker reports is its peak: the
// coordinator's progress and report messages carry every worker's (web/worker.js).
const VERDICT = '[data-testid=verdict][data-verdict]';
const instrument = (VERDICT) => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
  // The moment the verdict appears, taken in the page: Playwright's waitFor polls at growing
  // intervals (500 ms apart after the first 270 ms), so its wake-up is up to half a second late.
  window.__verdictAt = 0;
  new MutationObserver(() => {
    if (!window.__verdictAt && document.querySelector(VERDICT)) window.__verdictAt = Date.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-verdict'] });
  window.__memoryPeak = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.includes('"memory"')) return;
        const m = JSON.parse(e.data);
        (m.memory || []).forEach((b, i) => { window.__memoryPeak[i] = Math.max(window.__memoryPeak[i] || 0, b); });
      });
    }
  };
};
const mb = (bytes) => fmt(bytes / 1e6, 1);

async function page() {
  const p = await browser.newPage();
  await p.addInitScript(instrument, VERDICT);
  return p;
}

try {
  // 1. RS256 in the page: verifyAsync on 50,000 receipts vs bare WebCrypto on the same manifests.
  if (!skipRs256) {
    const p = await page();
    await p.goto(`${origin}/`);
    const r = await p.evaluate(async () => {
      const m = await import('/pkg/index.js');
      const text = await (await fetch('/data/receipts-50000.jsonl')).text();
      const jwks = await (await fetch('/data/jwks.json')).text();
      const lines = text.split('\n').filter((l) => l.trim());
      const t0 = performance.now();
      const report = await m.verifyAsync({ receipts: [{ name: 'receipts-50000.jsonl', data: text }], keys: [jwks] });
      const ours = (performance.now() - t0) / 1000;
      // The peer: the same manifests and signatures, prepared outside the timing.
      const enc = new TextEncoder();
      const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      const jobs = lines.map((l) => [enc.encode(m.manifest(l)), b64(JSON.parse(l).signature)]);
      const jwk = JSON.parse(jwks).keys[0];
      const key = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
      const t1 = performance.now();
      let valid = 0;
      for (let i = 0; i < jobs.length; i += 1024) {
        const answers = await Promise.all(jobs.slice(i, i + 1024).map(([msg, sig]) => crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, sig, msg)));
        valid += answers.filter(Boolean).length;
      }
      const peer = (performance.now() - t1) / 1000;
      const sigs = report.checks.filter((c) => c.id === 'receipt.signature' && c.status === 'pass');
      return { n: lines.length, ours, peer, valid, verdict: report.verdict, backend: report.backend,
        passed: sigs.reduce((a, c) => a + (c.count ?? 1), 0) };
    });
    results.rs256Page = r;
    row(`RS256, ${fmt(r.n)} receipts, in Chromium (\`verifyAsync\`, ${r.backend}, ${r.passed} signatures passed, ${r.verdict})`,
      `${fmt(r.n / r.ours)}/s`, `WebCrypto \`verify\`: ${fmt(r.n / r.peer)}/s (${r.valid} valid)`, fmt(r.peer / r.ours, 3));
    await p.close();
  }

  // 2. The 1,000,000-row export dropped into the real page (setInputFiles from disk), to the verdict.
  const dropIntoPage = async (files, label, timeoutMs) => {
    const p = await page();
    await p.goto(`${origin}/`);
    await p.getByTestId('published-fingerprint').first().waitFor();
    const t0 = Date.now();
    await p.getByTestId('file-input').setInputFiles(files);
    let verdict = 'none';
    try {
      await p.locator(VERDICT).first().waitFor({ timeout: timeoutMs });
      verdict = await p.locator('[data-testid=verdict]').first().getAttribute('data-verdict');
    } catch (e) {
      verdict = `no verdict within ${timeoutMs / 1000} s`;
    }
    // Both clocks are this machine's wall clock; without the page's mark, when Playwright saw it.
    const seenAt = await p.evaluate(() => window.__verdictAt);
    const seconds = ((seenAt || Date.now()) - t0) / 1000;
    const longTasks = await p.evaluate(() => window.__longTasks);
    const memory = await p.evaluate(() => window.__memoryPeak);
    await p.close();
    return { label, seconds, verdict, longTasks: longTasks.length, longest: Math.max(0, ...longTasks), memory };
  };
  if (!skipRows) {
    const r = await dropIntoPage([join(data, 'rows.jsonl'), join(data, 'rows-receipts.jsonl'), join(data, 'jwks.json')], 'rows', 600_000);
    const p = await page();
    await p.goto(`${origin}/`);
    const digest = await p.evaluate(async () => {
      const bytes = await (await fetch('/data/rows.jsonl')).arrayBuffer();
      const t0 = performance.now();
      await crypto.subtle.digest('SHA-256', bytes);
      return { seconds: (performance.now() - t0) / 1000, bytes: bytes.byteLength };
    });
    await p.close();
    results.rowsPage = { ...r, digest };
    row(`1,000,000-row export (${fmt(digest.bytes / 1e6)} MB) dropped into the page, to the verdict (${r.verdict}); main-thread long tasks: ${r.longTasks}, longest ${fmt(r.longest)} ms`,
      `${fmt(r.seconds, 2)} s`, `WebCrypto \`digest\` of the same bytes: ${fmt(digest.seconds, 2)} s`, fmt(digest.seconds / r.seconds, 3));
  }
  // 3. A year of receipts (525,600) dropped into the page.
  if (!skipYear) {
    const r = await dropIntoPage([join(data, 'receipts.jsonl'), join(data, 'jwks.json')], 'year', 240_000);
    results.yearPage = r;
    row(`525,600 receipts (a year) dropped into the page, to the verdict (${r.verdict}); long tasks: ${r.longTasks}, longest ${fmt(r.longest)} ms`,
      `${fmt(r.seconds, 1)} s`, '–', '–');
  }
  // 4. Peak WebAssembly memory per worker (coordinator first), goal ≤ 64 MB each.
  const peaks = [results.rowsPage, results.yearPage].filter(Boolean)
    .map((r) => `${r.label}: ${r.memory.length ? r.memory.map(mb).join(' / ') : '?'} MB`);
  const worst = Math.max(0, ...[results.rowsPage, results.yearPage].filter(Boolean).flatMap((r) => r.memory));
  row(`peak WASM memory per worker (coordinator first; ${peaks.join('; ')})`, `${mb(worst)} MB at most`, 'goal: ≤ 64 MB per worker', fmt(64e6 / Math.max(worst, 1), 2));
} finally {
  await browser.close();
  server.close();
}
console.log(rows.join('\n'));
console.log(JSON.stringify(results));
