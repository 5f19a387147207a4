// GENERATED from the tables in web/src/protocol.rs by its test
// `the_js_mirror_is_generated_from_these_tables` (UPDATE_PROTOCOL_JS=1 rewrites it): do not edit.
// The worker reads every request with `readRequest` and builds every message to the page
// with `message`, so a field that one side adds, renames or drops fails on the other.
// Per type, its fields; `?` marks one that may be left out.
export const REQUESTS = {
  inspect: ['id', 'name'],
  verify: ['id', 'receipts', 'keys', 'rows?', 'asReceipts?'],
  cancel: ['id'],
};
export const RESPONSES = {
  ready: [],
  inspected: ['id', 'inspection'],
  progress: ['id', 'done', 'total', 'rows', 'receipts', 'elapsedMs', 'memory'],
  report: ['id', 'report', 'memory', 'ranges?', 'held?'],
  cancelled: ['id'],
  error: ['id', 'message', 'fatal?'],
};

function checked(table, what, m) {
  if (!m || typeof m !== 'object' || !Object.hasOwn(table, m.type)) {
    throw new Error(`unknown ${what} type ${JSON.stringify(m && m.type)}`);
  }
  const fields = table[m.type];
  for (const f of fields) {
    if (!f.endsWith('?') && m[f] === undefined) throw new Error(`${what} ${m.type} lacks ${f}`);
  }
  const known = new Set(['type', ...fields.map((f) => f.replace('?', ''))]);
  for (const k of Object.keys(m)) {
    if (!known.has(k)) throw new Error(`${what} ${m.type} has no field ${k}`);
  }
  return m;
}

/** The JSON text of a message to the page, refused unless its fields are the table's. */
export function message(type, fields = {}) {
  if (Object.hasOwn(fields, 'type')) throw new Error(`message ${type} has no field type`);
  return JSON.stringify(checked(RESPONSES, 'message', { type, ...fields }));
}

/** A request header from the page, parsed and refused unless its fields are the table's. */
export const readRequest = (header) => checked(REQUESTS, 'request', JSON.parse(header));
