// The README's Node usage example runs as written (from the repository root).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { root } from './helpers.mjs';

test('README Node example', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.split('<!-- node-example:begin -->')[1]?.split('<!-- node-example:end -->')[0];
  assert.ok(block, 'README lacks the node-example markers');
  const code = block.replace(/^\s*```js\n/, '').replace(/```\s*$/, '');
  assert.ok(code.split('\n').filter((l) => l.trim()).length <= 12, 'the example should stay about ten lines');
  const path = join(root, 'target', 'readme-node-example.mjs');
  writeFileSync(path, code.replaceAll("'./pkg/index.js'", `'${join(root, 'pkg/index.js')}'`));
  try {
    const out = execFileSync(process.execPath, [path], { cwd: root, encoding: 'utf8' });
    assert.match(out, /^verified /m, out);
  } finally {
    rmSync(path, { force: true });
  }
});
