// Checks that a WriteStream with a tiny highWaterMark returns false from write and emits drain before the next batch.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'out');
const ws = fs.createWriteStream(file, { highWaterMark: 4 });
let batch = 0;
function writeBatch() {
  batch++;
  let ok = true;
  let n = 0;
  while (ok && n < 3) {
    ok = ws.write(`b${batch}w${n}`);
    console.log('batch', batch, 'write', n, 'returned', ok, 'needDrain', ws.writableNeedDrain);
    n++;
  }
  if (batch < 3) ws.once('drain', () => { console.log('drain'); writeBatch(); });
  else ws.end(() => {
    console.log('ended', fs.readFileSync(file, 'utf8'));
    fs.rmSync(dir, { recursive: true });
  });
}
writeBatch();
