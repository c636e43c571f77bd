// Checks fs.watchFile (stat polling): the listener gets (current, previous) stats when the file's stat
// changes — content, mode — nothing while it stays the same, zeroed current stats when it disappears,
// and it comes back when the file is created again. unwatchFile stops it and lets the process exit.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'polled.txt');
fs.writeFileSync(file, 'abc');

let wake = null;
const seen = [];
function listener(curr, prev) {
  seen.push(`size ${prev.size}->${curr.size} mode ${(prev.mode & 0o777).toString(8)}->` +
            `${(curr.mode & 0o777).toString(8)} nlink ${curr.nlink}`);
  if (wake) { const r = wake; wake = null; r(); }
}
fs.watchFile(file, { interval: 20 }, listener);
const quiet = () => new Promise((r) => setTimeout(r, 150));

async function step(label, op) {
  const first = new Promise((r) => { wake = r; });
  await quiet();  // the first poll has recorded the file; nothing changes meanwhile
  await op();
  await first;
  await quiet();
  console.log(label.padEnd(8), seen.splice(0).join(' | '));
}

(async () => {
  await step('append', () => fsp.appendFile(file, 'defg'));
  await step('chmod', () => fsp.chmod(file, 0o600));
  await step('unlink', () => fsp.unlink(file));
  await step('create', async () => {  // atomically: a poll never sees it half written
    await fsp.writeFile(path.join(dir, 'tmp'), 'z');
    await fsp.rename(path.join(dir, 'tmp'), file);
  });
  fs.unwatchFile(file, listener);
  fs.rmSync(dir, { recursive: true });
  console.log('unwatched');
})();
