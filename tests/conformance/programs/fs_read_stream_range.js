// Checks createReadStream start/end ranges and that an empty file still emits end then close.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
fs.writeFileSync(path.join(dir, 'digits'), '0123456789');
fs.writeFileSync(path.join(dir, 'empty'), '');

function collect(name, opts, next) {
  const parts = [];
  const rs = fs.createReadStream(path.join(dir, name), opts);
  rs.on('data', (c) => parts.push(c.toString()));
  rs.on('end', () => console.log(name, JSON.stringify(opts), 'end', parts.join('|')));
  rs.on('close', () => {
    console.log(name, 'close');
    next();
  });
}
collect('digits', { start: 2, end: 5 }, () =>
  collect('digits', { start: 7, highWaterMark: 2 }, () =>
    collect('empty', {}, () =>
      collect('digits', { start: 3, end: 3 }, () => {
        fs.rmSync(dir, { recursive: true });
        console.log('done');
      }))));
