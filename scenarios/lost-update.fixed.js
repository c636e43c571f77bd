// The fixed twin of lost-update.js: updates of the counter go through one queue, so each request reads
// the file only after the previous request's write has completed, whatever the timing.
const fs = require('fs');
const path = require('path');
const os = require('os');

const file = path.join(os.tmpdir(), 'counter.json');
fs.writeFileSync(file, JSON.stringify({ count: 0 }));

let queue = Promise.resolve();
function update(fn) {
  queue = queue.then(async () => {
    const data = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    fn(data);
    await fs.promises.writeFile(file, JSON.stringify(data));
    return data;
  });
  return queue;
}

let finished = 0;
function handleRequest(name) {
  update((data) => { data.count += 1; }).then((data) => {
    console.log(`${name}: wrote count ${data.count}`);
    if (++finished === 2) check();
  });
}

function check() {
  const { count } = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log('final count:', count);
  if (count !== 2) {
    console.error(`lost update: expected 2, got ${count}`);
    process.exit(1);
  }
}

setTimeout(() => handleRequest('request A'), 1);
setTimeout(() => handleRequest('request B'), 2);
