// Bug class: an IPC request/response mismatch under concurrency.
// A parent asks a forked price service for two prices at once. The service answers each request when
// its price file has been read, with process.send({ price }); the parent pairs answers with requests
// first-in first-out. The two reads run in the thread pool and may finish in either order, so on some
// interleavings the answers come back swapped and the parent books the wrong price.
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = path.join(os.tmpdir(), 'prices');

if (process.argv[2] === 'service') {
  process.on('message', (request) => {
    fs.readFile(path.join(dir, request.item), 'utf8', (err, text) => {
      process.send({ price: err ? null : Number(text) });
    });
  });
} else {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'apple'), '3');
  fs.writeFileSync(path.join(dir, 'pear'), '5');
  const service = fork(__filename, ['service']);
  const waiting = [];
  service.on('message', (answer) => waiting.shift()(answer.price));
  const ask = (item) => new Promise((resolve) => {
    waiting.push(resolve);
    service.send({ item });
  });
  Promise.all([ask('apple'), ask('pear')]).then(([apple, pear]) => {
    console.log(`apple costs ${apple}, pear costs ${pear}`);
    service.disconnect();
    if (apple !== 3 || pear !== 5) {
      console.error(`mismatched answers: apple ${apple}, pear ${pear}`);
      process.exit(1);
    }
  });
}
