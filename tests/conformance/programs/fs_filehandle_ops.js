// Checks FileHandle write/read/stat/truncate/close through fs.promises and the values each resolves to.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));

(async () => {
  const fh = await fsp.open(path.join(dir, 'f.bin'), 'w+');
  const w1 = await fh.write('abcdef');
  console.log('write string', w1.bytesWritten, w1.buffer);
  const w2 = await fh.write(Buffer.from('XYZ'), 0, 3, 2);
  console.log('write at 2', w2.bytesWritten);
  const buf = Buffer.alloc(10);
  const r = await fh.read(buf, 0, 10, 0);
  console.log('read', r.bytesRead, buf.toString('utf8', 0, r.bytesRead));
  console.log('stat size', (await fh.stat()).size);
  await fh.truncate(4);
  console.log('after truncate', await fh.readFile({ encoding: 'utf8' }), (await fh.stat()).size);
  const r2 = await fh.read(Buffer.alloc(4), 0, 4, 0);
  console.log('reread', r2.bytesRead, r2.buffer.toString());
  await fh.close();
  try {
    await fh.stat();
  } catch (e) {
    console.log('after close', e.code);
  }
  fs.rmSync(dir, { recursive: true });
  console.log('done');
})();
