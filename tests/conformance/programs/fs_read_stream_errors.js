// Checks createReadStream on a missing file and on a directory: 'error' with the code, then 'close', and no 'open' or 'end'.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
function attempt(name, next) {
  const rs = fs.createReadStream(path.join(dir, name));
  for (const ev of ['open', 'ready', 'end']) rs.on(ev, () => console.log(name, ev));
  rs.on('data', () => console.log(name, 'data'));
  rs.on('error', (e) => console.log(name, 'error', e.code, e.syscall));
  rs.on('close', () => {
    console.log(name, 'close', rs.destroyed);
    next();
  });
}
attempt('missing', () => attempt('.', () => {
  const ws = fs.createWriteStream(path.join(dir, 'no', 'such', 'dir', 'f'));
  ws.on('error', (e) => console.log('write stream error', e.code));
  ws.on('close', () => {
    console.log('write stream close');
    fs.rmSync(dir, { recursive: true });
  });
  ws.write('x', (err) => console.log('write cb', err && err.code));
}));
