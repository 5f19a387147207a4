// Writes RFC 9116 /.well-known/security.txt into the Trunk build from web/content.json
// (the same content the page's disclosure section shows). Run by Trunk's post_build hook.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { disclosure: d } = JSON.parse(readFileSync(join(root, 'web/content.json'), 'utf8'));
const out = join(process.env.TRUNK_STAGING_DIR || join(root, 'dist'), '.well-known');
const text = [
  `Contact: ${d.contact}`,
  `Expires: ${d.expires}`,
  `Policy: ${d.policy}`,
  `Preferred-Languages: ${d.languages.join(', ')}`,
  `Canonical: ${d.canonical}`,
  '',
].join('\n');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'security.txt'), text);
