// Checks crypto.hash (one-shot, synchronous) against createHash and against crypto.subtle.digest (a
// promise settled from the thread pool) over data read with fs.readFile: equal digests in every
// encoding asked for, the subtle digest settles in a later turn than a tick queued beside it, and an
// unknown algorithm throws.
// requires: node >= 20.12
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (message) => console.log(message);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'data.txt');
fs.writeFileSync(file, 'the quick brown fox jumps over the lazy dog\n'.repeat(100));

fs.readFile(file, (err, data) => {
  const oneShot = crypto.hash('sha256', data);
  log(`sha256 hex: ${oneShot}`);
  log(`same as createHash: ${oneShot === crypto.createHash('sha256').update(data).digest('hex')}`);
  log(`sha1 base64: ${crypto.hash('sha1', data, 'base64')}`);
  log(`md5 of a string: ${crypto.hash('md5', 'abc')}`);
  log(`buffer output: ${crypto.hash('sha256', data, 'buffer').length} bytes`);
  try {
    crypto.hash('no-such-hash', data);
  } catch (e) {
    log(`unknown algorithm: ${e.code || e.message}`);
  }
  process.nextTick(() => log('tick queued beside subtle.digest'));
  crypto.subtle.digest('SHA-256', data).then((digest) => {
    log(`subtle digest equal: ${Buffer.from(digest).toString('hex') === oneShot}`);
    fs.rmSync(dir, { recursive: true });
  });
});
