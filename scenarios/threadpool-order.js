// Bug class: thread-pool completion order assumed equal to submission order.
// A file is read back in three parts with three fs.read calls at different offsets, submitted in order;
// each callback appends its part. The thread pool runs them in parallel and they complete in any order,
// so the reassembled text comes out scrambled on some interleavings.
const fs = require('fs');
const path = require('path');
const os = require('os');

const file = path.join(os.tmpdir(), 'threadpool-order-parts.txt');
const text = 'alpha-' + 'bravo-' + 'charlie';
fs.writeFileSync(file, text);

const fd = fs.openSync(file, 'r');
const partSize = 6;
const parts = Math.ceil(text.length / partSize);
let assembled = '';
let completed = 0;

for (let i = 0; i < parts; i++) {
  const buf = Buffer.alloc(partSize);
  fs.read(fd, buf, 0, partSize, i * partSize, (err, n) => {
    if (err) throw err;
    assembled += buf.toString('utf8', 0, n); // assumes part i completes i-th
    if (++completed === parts) {
      fs.closeSync(fd);
      console.log('assembled:', assembled);
      if (assembled !== text) {
        console.error(`parts out of order: expected "${text}"`);
        process.exit(1);
      }
    }
  });
}
