// Checks fs.watch on a directory: changes of its entries are reported with the entry's name. Creating
// a file is 'rename' then 'change' (its first write), appending is 'change', renaming is 'rename' for
// the old and the new name, mkdir/rmdir/unlink are 'rename'. Nested changes are not reported.
// Each step waits for its first event, then lets the rest of its events arrive before printing them.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const w = fs.watch(dir, { encoding: 'utf8' });
const events = [];
let wake = null;
w.on('change', (type, name) => {
  events.push(`${type}:${name}`);
  if (wake) { const r = wake; wake = null; r(); }
});
const settle = () => new Promise((r) => setTimeout(r, 100));
const at = (name) => path.join(dir, name);

async function step(label, op) {
  const first = new Promise((r) => { wake = r; });
  await op();
  await first;
  await settle();
  console.log(label.padEnd(10), events.splice(0).join(' '));
}

(async () => {
  await step('create', () => fsp.writeFile(at('a.txt'), 'x'));
  await step('append', () => fsp.appendFile(at('a.txt'), 'y'));
  await step('rename', () => fsp.rename(at('a.txt'), at('b.txt')));
  await step('mkdir', () => fsp.mkdir(at('sub')));
  await step('nested', async () => {
    await fsp.writeFile(at('sub/inner.txt'), 'not reported');
    await fsp.chmod(at('sub'), 0o700);  // the directory's own entry changes: reported
  });
  await step('rmdir', async () => {
    await fsp.rm(at('sub'), { recursive: true });
  });
  await step('unlink', () => fsp.unlink(at('b.txt')));
  await step('symlink', () => fsp.symlink('b.txt', at('link')));
  w.close();
  w.on('close', () => console.log('closed'));
  fs.rmSync(dir, { recursive: true });
})();
