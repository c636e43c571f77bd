// Watches a directory with fs.watch and a file with fs.watchFile while it changes them, then stops both.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const dir = fs.mkdtempSync('/tmp/watch-');
const file = `${dir}/f.txt`;
fs.writeFileSync(file, 'a');
const events = [];
const w = fs.watch(dir, (type, name) => events.push(`${type} ${name}`));
fs.watchFile(file, { interval: 5 }, (curr, prev) => events.push(`stat ${prev.size}->${curr.size}`));
(async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await fsp.appendFile(file, 'b');
  }
  await new Promise((r) => setTimeout(r, 20));
  await fsp.unlink(file);
  await new Promise((r) => setTimeout(r, 20));
  w.close();
  fs.unwatchFile(file);
  console.log(events.length > 0 ? 'saw events' : 'no events');
})();
