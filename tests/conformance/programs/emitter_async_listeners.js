// Checks ordering of synchronous emits with listeners that schedule ticks, promises and immediates.
const EventEmitter = require('events');
const e = new EventEmitter();
e.on('go', (n) => {
  console.log('sync listener', n);
  process.nextTick(() => console.log('tick from listener', n));
  Promise.resolve().then(() => console.log('promise from listener', n));
  setImmediate(() => console.log('immediate from listener', n));
});
e.emit('go', 1);
process.nextTick(() => e.emit('go', 2));
setImmediate(() => e.emit('go', 3));
