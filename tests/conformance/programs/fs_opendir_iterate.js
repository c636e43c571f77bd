// Checks fs.opendir with for-await and dir.read/close callbacks, collecting entries before printing them sorted.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
for (const n of ['c', 'a', 'b']) fs.writeFileSync(path.join(dir, n + '.txt'), n);
fs.mkdirSync(path.join(dir, 'sub'));

(async () => {
  const names = [];
  for await (const ent of await fs.promises.opendir(dir)) names.push(`${ent.name}:${ent.isDirectory() ? 'd' : 'f'}`);
  console.log('for await', names.sort().join(' '));
  const d = fs.opendirSync(dir);
  const seen = [];
  d.read(function next(err, ent) {
    if (err) throw err;
    if (ent === null) {
      console.log('callback read', seen.sort().join(' '));
      d.close((err) => {
        console.log('closed', err);
        try {
          d.closeSync();
        } catch (e) {
          console.log('second close', e.code);
        }
        fs.rmSync(dir, { recursive: true });
      });
      return;
    }
    seen.push(ent.name);
    d.read(next);
  });
})();
