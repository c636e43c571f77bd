// Checks fs.watch on one file: what each change of the file is reported as. Attribute and content
// changes are 'change', a rename of the file is 'rename', and deleting it is 'change' (its link count)
// then 'rename' twice (the inode is gone, then its watch is); the name is always the watched file's.
// Each step waits for its first event, then lets the rest of its events arrive before printing them.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'watched.txt');
fs.writeFileSync(file, 'start\n');

const w = fs.watch(file);
const events = [];
let wake = null;
w.on('change', (type, name) => {
  events.push(`${type}:${name}`);
  if (wake) { const r = wake; wake = null; r(); }
});
const settle = () => new Promise((r) => setTimeout(r, 100));

async function step(label, op) {
  const first = new Promise((r) => { wake = r; });
  await op();
  await first;
  await settle();
  console.log(label.padEnd(10), events.splice(0).join(' '));
}

(async () => {
  await step('append', () => fsp.appendFile(file, 'more\n'));
  await step('chmod', () => fsp.chmod(file, 0o600));
  await step('utimes', () => fsp.utimes(file, 1000, 2000));
  await step('truncate', () => fsp.truncate(file, 2));
  await step('rename', () => fsp.rename(file, path.join(dir, 'moved.txt')));
  await step('unlink', () => fsp.unlink(path.join(dir, 'moved.txt')));
  w.close();
  fs.rmSync(dir, { recursive: true });
  console.log('done');
})();
