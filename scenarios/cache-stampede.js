// Bug class: cache stampede — the value is cached only after an await.
// getUser() looks the key up in a cache, and on a miss loads it from "the database" (a file read on the
// thread pool) and caches it. Two requests a few milliseconds apart: if the second one arrives while
// the first load is still in flight it misses too, and the database is hit twice for the same key.
const fs = require('fs');
const path = require('path');
const os = require('os');

const db = path.join(os.tmpdir(), 'cache-stampede-users.json');
fs.writeFileSync(db, JSON.stringify({ 42: { name: 'Ada' } }));

const cache = new Map();
let loads = 0;

async function getUser(id) {
  if (cache.has(id)) return cache.get(id);
  loads++;
  const users = JSON.parse(await fs.promises.readFile(db, 'utf8'));
  cache.set(id, users[id]);
  return users[id];
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
