// Bug class: a mutex built on a boolean flag.
// lock() waits for an 'unlock' event while the flag is set, then sets it. unlock() clears the flag and
// emits 'unlock' — which wakes every waiter at once, and none of them checks the flag again. With one
// waiter this works; when two jobs wait at the same time both enter the critical section together.
const EventEmitter = require('events');
const { once } = EventEmitter;
const fs = require('fs');
const path = require('path');
const os = require('os');

let locked = false;
const lockEvents = new EventEmitter();
async function lock() {
  if (locked) await once(lockEvents, 'unlock');
  locked = true;
}
function unlock() {
  locked = false;
  lockEvents.emit('unlock');
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
