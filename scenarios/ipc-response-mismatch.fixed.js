// Fixed twin of ipc-response-mismatch.js: each request carries an id, the service echoes it in its
// answer, and the parent resolves the request the answer names, in whatever order answers come.
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = path.join(os.tmpdir(), 'prices');

if (process.argv[2] === 'service') {
  process.on('message', (request) => {
    fs.readFile(path.join(dir, request.item), 'utf8', (err, text) => {
      process.send({ id: request.id, price: err ? null : Number(text) });
    });
  });
} else {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'apple'), '3');
  fs.writeFileSync(path.join(dir, 'pear'), '5');
  const service = fork(__filename, ['service']);
  const waiting = new Map();
  let nextId = 0;
  service.on('message', (answer) => {
    waiting.get(answer.id)(answer.price);
    waiting.delete(answer.id);
  });
  const ask = (item) => new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    service.send({ id, item });
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
