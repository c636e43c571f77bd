// PENDING (not simulated yet): expected "first event rename new.txt", "watcher closed"; loopsim, every
// seed 0..9: exit 70, "loopsim: uv_fs_event_init is not simulated yet". Promote once fs_event is simulated.
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
