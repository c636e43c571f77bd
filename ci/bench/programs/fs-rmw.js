// Bench program: two staggered read-modify-write updates of a JSON file, serialised through a queue.
const fs = require('fs');
const path = require('path');
const os = require('os');

const file = path.join(os.tmpdir(), `bench-counter-${process.pid}.json`);
fs.writeFileSync(file, JSON.stringify({ count: 0 }));
let queue = Promise.resolve();
function update() {
  queue = queue.then(async () => {
    const data = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    data.count += 1;
    await fs.promises.writeFile(file, JSON.stringify(data));
  });
  return queue;
}
let done = 0;
for (let i = 0; i < 4; i++) {
  setTimeout(() => update().then(() => {
    if (++done === 4) {
      const { count } = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.unlinkSync(file);
      if (count !== 4) process.exitCode = 1;
    }
  }), i);
}
