// The package's TypeScript types (pkg/*.d.ts) type-check a realistic use, strictly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { root } from './helpers.mjs';

test('pkg/ TypeScript types check a realistic use', () => {
  const tsc = join(root, 'node_modules/.bin/tsc');
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,esnext.disposable,dom', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--skipLibCheck', 'false', join(root, 'tests/node/usage.ts')];
  let out = '';
  try {
    out = execFileSync(tsc, args, { cwd: root, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  assert.equal(out.trim(), '');
});
