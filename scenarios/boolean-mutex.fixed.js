// The fixed twin of boolean-mutex.js: the lock keeps a queue of waiters and unlock() hands the lock to
// exactly one of them (the flag stays set), so there is never more than one holder.
const fs = require('fs');
const path = require('path');
const os = require('os');

let locked = false;
const waiters = [];
function lock() {
  if (!locked) {
    locked = true;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiters.push(resolve));
}
function unlock() {
  const next = waiters.shift();
  if (next) next(); // still locked: ownership passes to the next waiter
  else locked = false;
}

const file = path.join(os.tmpdir(), 'boolean-mutex-balance.txt');
fs.writeFileSync(file, '100');
let inside = 0;

async function withdraw(name, amount) {
  await lock();
  if (++inside > 1) {
    console.error(`${name}: two jobs inside the critical section`);
    process.exit(1);
  }
  const balance = Number(await fs.promises.readFile(file, 'utf8'));
  await fs.promises.writeFile(file, String(balance - amount));
  console.log(`${name}: ${balance} -> ${balance - amount}`);
  inside--;
  unlock();
}

setTimeout(() => withdraw('job A', 10), 1);
setTimeout(() => withdraw('job B', 20), 2);
setTimeout(() => withdraw('job C', 30), 6);
