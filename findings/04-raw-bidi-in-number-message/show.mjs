// node show.mjs (after scripts/pkg.sh): the number error's message carries the key raw
// (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B, U+2028), the duplicate-key message escapes it.
import * as api from '../../pkg/index.js';
import fs from 'node:fs';
const demo = (f) => fs.readFileSync(new URL(`../../examples/${f}`, import.meta.url));
const r = api.verify({ receipts: [demo('receipts.jsonl')], keys: [demo('jwks.json')],
  rows: { name: 'rows.jsonl', data: fs.readFileSync(new URL('rows.jsonl', import.meta.url)) } });
for (const c of r.checks) if (c.id === 'rows.parse') console.log(JSON.stringify(c.message), /[\u202e\u200b\u2028]/.test(c.message) ? 'RAW' : 'escaped');
