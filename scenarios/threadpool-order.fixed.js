// The fixed twin of threadpool-order.js: each completion stores its part at its own index, and the text
// is joined once all parts are in, whatever order the thread pool finished them.
const fs = require('fs');
const path = require('path');
const os = require('os');

const file = path.join(os.tmpdir(), 'threadpool-order-parts.txt');
const text = 'alpha-' + 'bravo-' + 'charlie';
fs.writeFileSync(file, text);

const fd = fs.openSync(file, 'r');
const partSize = 6;
const parts = Math.ceil(text.length / partSize);
const pieces = new Array(parts);
let completed = 0;

for (let i = 0; i < parts; i++) {
  const buf = Buffer.alloc(partSize);
  fs.read(fd, buf, 0, partSize, i * partSize, (err, n) => {
    if (err) throw err;
    pieces[i] = buf.toString('utf8', 0, n);
    if (++completed === parts) {
      fs.closeSync(fd);
      const assembled = pieces.join('');
      console.log('assembled:', assembled);
      if (assembled !== text) {
        console.error(`parts out of order: expected "${text}"`);
        process.exit(1);
      }
    }
  });
}
