// A static server for the built page (dist/) on 127.0.0.1, with the same CSP as an HTTP
// header (a meta CSP does not reach workers) and the right MIME types for wasm and modules.
// Usage: node scripts/serve.mjs [dir] [port]   (port 0 picks a free one; the URL is printed)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(process.argv[2] || 'dist');
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.ts': 'text/plain', '.md': 'text/plain; charset=utf-8',
};
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
  "img-src 'self' data:; style-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'self'";

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(root, path));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': types[extname(file)] || 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});
server.on('listening', () => {
  console.log(`serving ${root} at http://127.0.0.1:${server.address().port}/`);
});
server.on('error', (e) => {
  // The default port is taken: use a free one rather than fail (an explicit port fails).
  if (e.code === 'EADDRINUSE' && process.argv[3] === undefined && process.env.PORT === undefined) {
    console.log(`port ${port} is in use; picking a free one`);
    server.listen(0, '127.0.0.1');
  } else {
    console.error(`cannot serve on 127.0.0.1:${port}: ${e.message}`);
    process.exit(2);
  }
});
server.listen(port, '127.0.0.1');
