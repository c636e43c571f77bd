// The fixed twin of stream-end.js: stream.pipeline calls back once the destination has finished (and
// closed) the file, so the read-back always sees every byte.
const fs = require('fs');
const path = require('path');
const os = require('os');
const { Readable, pipeline } = require('stream');

const out = path.join(os.tmpdir(), 'stream-end-report.txt');
const lines = [];
for (let i = 1; i <= 4; i++) lines.push(`line ${i}: ${'#'.repeat(i * 8)}\n`);
const expected = lines.join('');
fs.rmSync(out, { force: true }); // no report from an earlier run

pipeline(Readable.from(lines), fs.createWriteStream(out), (err) => {
  if (err) throw err;
  fs.readFile(out, 'utf8', (err2, text) => {
    if (err2) throw err2;
    console.log(`read back ${text.length} of ${expected.length} bytes`);
    if (text !== expected) {
      console.error('report truncated: read back before the file stream finished');
      process.exit(1);
    }
  });
});
