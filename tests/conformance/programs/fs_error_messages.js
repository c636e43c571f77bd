// Checks the code, errno, syscall and message of common fs errors (ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY) from callback APIs.
// Node 26 (NAME.v26.stdout) names the path in readFile's EISDIR error: its fs.readFile opens, stats,
// reads and closes a file in one thread-pool job (ReadFileJob in lib/fs.js) whose errors carry the
// path; earlier majors read in separate requests and the failing read(2) has no path.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const show = (label) => (err) => {
  if (!err) return console.log(label, 'no error');
  console.log(label, err.code, err.errno, err.syscall, err.message.split(dir).join('<dir>'));
};
fs.writeFileSync(path.join(dir, 'file'), 'x');
fs.mkdirSync(path.join(dir, 'sub'));
fs.writeFileSync(path.join(dir, 'sub', 'inner'), 'y');

const steps = [
  (next) => fs.readFile(path.join(dir, 'missing'), (e) => { show('readFile missing')(e); next(); }),
  (next) => fs.mkdir(path.join(dir, 'sub'), (e) => { show('mkdir existing')(e); next(); }),
  (next) => fs.readFile(path.join(dir, 'sub'), (e) => { show('readFile dir')(e); next(); }),
  (next) => fs.open(path.join(dir, 'file', 'child'), 'r', (e) => { show('open under file')(e); next(); }),
  (next) => fs.rmdir(path.join(dir, 'sub'), (e) => { show('rmdir non-empty')(e); next(); }),
  (next) => fs.unlink(path.join(dir, 'sub'), (e) => { show('unlink dir')(e.code === 'EISDIR' || e.code === 'EPERM' ? null : e); next(); }),
  (next) => fs.writeFile(path.join(dir, 'file'), 'z', { flag: 'wx' }, (e) => { show('writeFile wx')(e); next(); }),
  (next) => fs.stat(path.join(dir, 'nope', 'deeper'), (e) => { show('stat missing')(e); next(); }),
  (next) => fs.rename(path.join(dir, 'missing'), path.join(dir, 'other'), (e) => { show('rename missing')(e); next(); }),
  (next) => fs.readdir(path.join(dir, 'file'), (e) => { show('readdir file')(e); next(); }),
];
(function run(i) {
  if (i === steps.length) {
    fs.rmSync(dir, { recursive: true });
    console.log('done');
    return;
  }
  steps[i](() => run(i + 1));
})(0);
