import { readFileSync, readdirSync } from 'node:fs';
const { verify, verifyAsync } = await import('/tmp/rt3/pkg/index.js');
const strip = (r) => JSON.stringify({ ...r, backend: undefined });
let same = 0, diff = 0;
for (const d of readdirSync('/tmp/rt3/keys')) {
  const dir = `/tmp/rt3/keys/${d}`;
  const input = () => ({ receipts: [{ name: 'r.json', data: readFileSync(`${dir}/r.json`) }], keys: [{ name: 'k.json', data: readFileSync(`${dir}/k.json`) }] });
  let a, b;
  try { a = strip(verify(input())); } catch (e) { a = 'throw ' + e; }
  try { b = strip(await verifyAsync(input())); } catch (e) { b = 'throw ' + e; }
  if (a === b) same++; else { diff++; console.log('DIFF', d, a.slice(0, 200), '\n   ', b.slice(0, 200)); }
}
console.log('same', same, 'diff', diff);
