// Bug class: stream 'end' / 'finish' / 'close' assumptions.
// A report is piped from a readable into a file, and the program reads the file back on the readable's
// 'end'. 'end' only says the source has no more data; the file stream may still have writes in flight on
// the thread pool, so the read-back sometimes sees a truncated file.
const fs = require('fs');
const path = require('path');
const os = require('os');
const { Readable } = require('stream');

const out = path.join(os.tmpdir(), 'stream-end-report.txt');
const lines = [];
for (let i = 1; i <= 4; i++) lines.push(`line ${i}: ${'#'.repeat(i * 8)}\n`);
const expected = lines.join('');
fs.rmSync(out, { force: true }); // no report from an earlier run

const source = Readable.from(lines);
source.pipe(fs.createWriteStream(out));
source.on('end', () => {
  fs.readFile(out, 'utf8', (err, text = '') => {
    if (err && err.code !== 'ENOENT') throw err; // not even opened yet: nothing written
    console.log(`read back ${text.length} of ${expected.length} bytes`);
    if (text !== expected) {
      console.error('report truncated: read back before the file stream finished');
      process.exit(1);
    }
  });
});
