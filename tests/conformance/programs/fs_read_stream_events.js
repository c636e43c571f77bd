// Checks the event order of fs.createReadStream with a small highWaterMark: open, ready, data chunks, end, close.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'in.txt');
fs.writeFileSync(file, 'abcdefghijklmnopqrstuvwxyz');

const rs = fs.createReadStream(file, { highWaterMark: 8, encoding: 'utf8' });
rs.on('open', (fd) => console.log('open', typeof fd));
rs.on('ready', () => console.log('ready'));
rs.on('data', (chunk) => {
  console.log('data', chunk);
  process.nextTick(() => console.log('  tick after', chunk));
});
rs.on('end', () => console.log('end', rs.bytesRead));
rs.on('close', () => {
  console.log('close', rs.destroyed);
  fs.rmSync(dir, { recursive: true });
});
console.log('created', rs.pending);
