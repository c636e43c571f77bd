// Checks fs.createWriteStream ordering: write callbacks, end callback, finish and close, then the file content.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'out.txt');

const ws = fs.createWriteStream(file);
ws.on('open', () => console.log('open'));
ws.on('ready', () => console.log('ready'));
ws.on('finish', () => console.log('finish', ws.bytesWritten));
ws.on('close', () => {
  console.log('close');
  console.log('content', JSON.stringify(fs.readFileSync(file, 'utf8')));
  fs.rmSync(dir, { recursive: true });
});
console.log('write1 ->', ws.write('one\n', () => console.log('write1 cb')));
console.log('write2 ->', ws.write('two\n', () => console.log('write2 cb')));
ws.end('three\n', () => console.log('end cb'));
console.log('writable', ws.writable, 'writableEnded', ws.writableEnded);
