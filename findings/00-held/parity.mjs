// Compare the CLI's --json report with the Node package's verify / verifyAsync.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
const pkg = await import('/work/wt/redteam5/pkg/index.js');
const [bin, keyFile, rowsArg, ...files] = process.argv.slice(2);
const named = (p) => ({ name: p, data: new Uint8Array(readFileSync(p)) });
const input = { keys: [named(keyFile)], receipts: files.map(named), rows: rowsArg === '-' ? undefined : named(rowsArg) };
const args = ['verify', '--json', '-k', keyFile, ...(rowsArg === '-' ? [] : ['--rows', rowsArg]), ...files];
let cli;
try { cli = execFileSync(bin, args, { maxBuffer: 1 << 30 }).toString(); } catch (e) { cli = e.stdout.toString(); }
const strip = (r) => { const o = JSON.parse(typeof r === 'string' ? r : JSON.stringify(r)); delete o.backend; return JSON.stringify(o); };
const a = strip(cli);
const b = strip(pkg.verify(input));
const c = strip(await pkg.verifyAsync(input));
const v = JSON.parse(cli).verdict;
console.log(files.map(f => basename(f)).join('+'), rowsArg === '-' ? '' : basename(rowsArg), v, a === b ? 'verify:SAME' : 'verify:DIFF', a === c ? 'async:SAME' : 'async:DIFF');
if (a !== b) { 
  const ja = JSON.parse(a), jb = JSON.parse(b);
  for (let i = 0; i < Math.max(ja.checks?.length ?? 0, jb.checks?.length ?? 0); i++) { if (JSON.stringify(ja.checks[i]) !== JSON.stringify(jb.checks[i])) { console.log(' cli ', JSON.stringify(ja.checks[i])); console.log(' node', JSON.stringify(jb.checks[i])); break; } }
  if (JSON.stringify(ja.summary)!==JSON.stringify(jb.summary)) console.log(ja.summary, jb.summary);
}
