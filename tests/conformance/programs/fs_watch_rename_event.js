// Checks fs.watch on a directory: creating a file emits 'rename' with its name first; closing the watcher emits 'close'.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const w = fs.watch(dir);
w.once('change', (type, name) => {
  console.log('first event', type, name);
  w.close();
});
w.on('close', () => {
  console.log('watcher closed');
  fs.rmSync(dir, { recursive: true });
});
fs.writeFile(path.join(dir, 'new.txt'), 'x', () => {});
