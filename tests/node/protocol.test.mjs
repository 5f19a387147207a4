// The worker protocol's JS mirror (web/protocol.js, generated from web/src/protocol.rs):
// what it lets through and what it refuses, and that the worker sends and reads nothing
// past it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { root } from './helpers.mjs';
import { message, readRequest, REQUESTS, RESPONSES } from '../../web/protocol.js';

test('a message with its table fields passes; an unknown type, a missing or an extra field is refused', () => {
  const progress = { id: 1, done: 2, total: 3, rows: 4, receipts: 7, elapsedMs: 5, memory: [6] };
  assert.deepEqual(JSON.parse(message('progress', progress)), { type: 'progress', ...progress });
  assert.equal(message('ready'), '{"type":"ready"}');
  // Optional fields may be left out or given.
  assert.ok(message('error', { id: 1, message: 'm' }));
  assert.ok(message('error', { id: 1, message: 'm', fatal: true }));
  assert.throws(() => message('progres', progress), /unknown message type "progres"/);
  const { total, ...noTotal } = progress;
  assert.equal(total, 3);
  assert.throws(() => message('progress', noTotal), /progress lacks total/);
  assert.throws(() => message('progress', { ...progress, eta: 9 }), /progress has no field eta/);
  assert.throws(() => message('cancelled', { id: 1, type: 'report' }), /cancelled has no field type/);
  let checked = 0;
  for (const [type, fields] of Object.entries(RESPONSES)) {
    const all = Object.fromEntries(fields.map((f) => [f.replace('?', ''), 1]));
    assert.equal(JSON.parse(message(type, all)).type, type);
    for (const f of fields.filter((f) => !f.endsWith('?'))) {
      const { [f]: dropped, ...rest } = all;
      assert.equal(dropped, 1);
      assert.throws(() => message(type, rest), new RegExp(`lacks ${f}`));
      checked += 1;
    }
  }
  assert.ok(checked >= 10, `${checked} required fields checked`);
});

test('a request header is read only with its table fields', () => {
  assert.deepEqual(readRequest('{"type":"cancel","id":4}'), { type: 'cancel', id: 4 });
  const verify = { type: 'verify', id: 3, receipts: ['a'], keys: ['k'], rows: 'r', asReceipts: [0] };
  assert.deepEqual(readRequest(JSON.stringify(verify)), verify);
  assert.throws(() => readRequest('{"type":"verify","id":3,"keys":[]}'), /verify lacks receipts/);
  assert.throws(() => readRequest('{"type":"inspect","id":1,"name":"x","path":"/etc"}'), /has no field path/);
  for (const bad of ['null', '5', '"verify"', '[]', '{}', '{"type":"toString"}', '{"type":"__proto__"}']) {
    assert.throws(() => readRequest(bad), /unknown request type/, bad);
  }
  assert.throws(() => readRequest('{not json'), SyntaxError);
  assert.deepEqual(Object.keys(REQUESTS).sort(), ['cancel', 'inspect', 'verify']);
});

test('the worker sends the page nothing and reads nothing from it but through the mirror', () => {
  const worker = readFileSync(join(root, 'web/worker.js'), 'utf8');
  assert.match(worker, /from '\.\/protocol\.js'/);
  // Messages to the page are strings made by `message`; range workers get objects.
  const stringified = worker.match(/JSON\.stringify\(/g) ?? [];
  assert.equal(stringified.length, 0, 'worker.js builds JSON text itself');
  assert.equal((worker.match(/JSON\.parse\(/g) ?? []).length, 0, 'worker.js parses a request itself');
  assert.match(worker, /readRequest\(/);
  assert.match(worker, /message\(/);
});
