// The README's browser usage example runs in headless Debian Chromium, served from a
// loopback-only static server (the page, pkg/ and examples/ come from this checkout).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { test } from 'node:test';

import { root } from './helpers.mjs';

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

test('README browser example in headless Chromium', { skip: !process.env.CHROMIUM && 'set CHROMIUM (scripts/test.sh does)' }, async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.split('<!-- browser-example:begin -->')[1]?.split('<!-- browser-example:end -->')[0];
  assert.ok(block, 'README lacks the browser-example markers');
  const page = block.replace(/^\s*```html\n/, '').replace(/```\s*$/, '');
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'text/plain' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    const dom = await new Promise((resolve, reject) =>
      execFile(
        process.env.CHROMIUM,
        ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--virtual-time-budget=15000', '--dump-dom', url],
        { timeout: 60_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    assert.match(dom, /verified: \d+ checks passed/, dom);
  } finally {
    server.close();
  }
});
