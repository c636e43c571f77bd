// Bug class: lost update — two staggered read-modify-write updates of one file.
// Two "requests", 1 ms apart, each read a JSON counter with fs.readFile and write it back incremented.
// The code assumes the first request's write lands before the second one reads; nothing orders them, so
// whenever the second read completes before the first write, both write 1 and an update is lost.
const fs = require('fs');
const path = require('path');
const os = require('os');

const file = path.join(os.tmpdir(), 'counter.json');
fs.writeFileSync(file, JSON.stringify({ count: 0 }));

let finished = 0;
function handleRequest(name) {
  fs.readFile(file, 'utf8', (err, text) => {
    if (err) throw err;
    const data = JSON.parse(text);
    data.count += 1;
    fs.writeFile(file, JSON.stringify(data), (err2) => {
      if (err2) throw err2;
      console.log(`${name}: wrote count ${data.count}`);
      if (++finished === 2) check();
    });
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
