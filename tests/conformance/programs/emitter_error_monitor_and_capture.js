// Checks EventEmitter errorMonitor, captureRejections routing an async listener's rejection to 'error', and prependListener order.
'use strict';
const { EventEmitter, errorMonitor } = require('events');
const e = new EventEmitter({ captureRejections: true });
e.on(errorMonitor, (err) => console.log('monitor', err.message));
e.on('error', (err) => console.log('error listener', err.message));
e.on('go', () => console.log('go 1'));
e.prependListener('go', () => console.log('go 0 (prepended)'));
e.on('go', async () => {
  console.log('go async');
  throw new Error('async failure');
});
e.emit('go');
console.log('emit returned');
e.emit('error', new Error('direct'));
process.nextTick(() => console.log('tick'));
