// The fixed twin of cache-stampede.js: the cache holds the promise of the value, stored before the
// first await, so a request arriving while the load is in flight waits for that same load.
const fs = require('fs');
const path = require('path');
const os = require('os');

const db = path.join(os.tmpdir(), 'cache-stampede-users.json');
fs.writeFileSync(db, JSON.stringify({ 42: { name: 'Ada' } }));

const cache = new Map();
let loads = 0;

function getUser(id) {
  if (!cache.has(id)) {
    loads++;
    const p = fs.promises.readFile(db, 'utf8').then((text) => JSON.parse(text)[id]);
    p.catch(() => cache.delete(id)); // a failed load is not cached
    cache.set(id, p);
  }
  return cache.get(id);
}

let done = 0;
function request(name) {
  getUser(42).then((user) => {
    console.log(`${name}: ${user.name}`);
    if (++done === 2) {
      console.log('database loads:', loads);
      if (loads !== 1) {
        console.error(`cache stampede: the database was hit ${loads} times for one key`);
        process.exit(1);
      }
    }
  });
}

setTimeout(() => request('request A'), 1);
setTimeout(() => request('request B'), 2);
