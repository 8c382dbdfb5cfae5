#!/usr/bin/env node
// Regenerates src/Passwords/Data/common-passwords.txt from the "passwords"
// frequency list shipped in the npm package zxcvbn (MIT, (c) 2012-2016 Dan
// Wheeler and Dropbox, Inc.).
//
// Usage (from the repository root, network access to the npm registry needed
// only for the first two commands):
//   mkdir -p /tmp/zxcvbn && cd /tmp/zxcvbn && npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz && cd -
//   node tools/extract-common-passwords.js /tmp/zxcvbn/package [output-file]
//
// Output: one password per line, lower-case, trimmed, de-duplicated, in the
// package's order (most common first), LF line endings, trailing newline.
'use strict';

const fs = require('fs');
const path = require('path');

const packageDir = process.argv[2];
if (!packageDir) {
  console.error('usage: node tools/extract-common-passwords.js <zxcvbn package dir> [output-file]');
  process.exit(2);
}
const output = process.argv[3] ||
  path.join(__dirname, '..', 'src', 'Passwords', 'Data', 'common-passwords.txt');

const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
if (manifest.name !== 'zxcvbn') {
  console.error(`expected the zxcvbn package, got ${manifest.name}`);
  process.exit(1);
}

const lists = require(path.resolve(packageDir, 'lib', 'frequency_lists.js'));
const raw = Array.isArray(lists.passwords) ? lists.passwords : String(lists.passwords).split(',');

const seen = new Set();
const out = [];
for (const entry of raw) {
  const value = String(entry).trim().toLowerCase();
  if (value.length === 0 || /[\r\n]/.test(value) || seen.has(value)) continue;
  seen.add(value);
  out.push(value);
}
if (out.length < 10000) {
  console.error(`only ${out.length} passwords extracted; refusing to write a short list`);
  process.exit(1);
}

fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, out.join('\n') + '\n', 'utf8');
console.log(`wrote ${out.length} passwords from zxcvbn@${manifest.version} (${manifest.license}) to ${output}`);
