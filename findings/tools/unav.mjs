import { readFileSync } from 'node:fs';
const { Verification } = await import('/tmp/rt3/pkg/index.js');
const input = { receipts: [{ name: 'receipts.jsonl', data: readFileSync('/tmp/rt3/demo/receipts.jsonl') }], keys: [{ name: 'jwks.json', data: readFileSync('/tmp/rt3/demo/jwks.json') }] };
for (const mode of ['all-valid', 'one-unavailable', 'all-unavailable', 'one-invalid']) {
  const v = new Verification(input);
  let round = 0;
  while (!v.isDone()) {
    const n = v.pendingCount();
    const o = new Uint8Array(n).fill(1);
    if (mode === 'one-unavailable' && round === 0) o[0] = 2;
    if (mode === 'all-unavailable') o.fill(2);
    if (mode === 'one-invalid' && round === 0) o[0] = 0;
    v.submit(o); round++;
  }
  const r = v.report('fake');
  console.log(mode, r.verdict, JSON.stringify(r.summary), r.checks.filter(c => c.status === 'fail').map(c => c.id + ': ' + c.message.slice(0, 90)));
}
