// node run.mjs sync|async : verify approval.json against keys.json with `verify` or `verifyAsync`.
import { readFileSync } from 'node:fs';
const pkg = process.env.PKG || '/tmp/rt3/pkg/index.js';
const { verify, verifyAsync } = await import(pkg);
const input = {
  receipts: [{ name: 'approval.json', data: readFileSync('approval.json') }],
  keys: [{ name: 'keys.json', data: readFileSync('keys.json') }],
};
const t = Date.now();
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
try {
  const report = process.argv[2] === 'async' ? await verifyAsync(input) : verify(input);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(process.argv[2], 'verdict', report.verdict, JSON.stringify(report.summary), 'backend', report.backend);
} catch (e) {
  console.log(process.argv[2], 'threw', String(e).slice(0, 300));
} finally {
  clearInterval(timer);
  console.log('ms', Date.now() - t, 'peak rss MB', Math.round(peak / 1e6));
}
