// Checks EventEmitter emit order: snapshot of listeners, once removal before call, prepend, and newListener.
const EventEmitter = require('events');
const e = new EventEmitter();
e.on('newListener', (name, fn) => console.log('newListener', String(name), 'count before add', e.listenerCount(name)));
const removed = () => console.log('removed during emit, still called this time');
e.on('x', () => {
  console.log('first: adds a listener and removes one');
  e.on('x', () => console.log('added during emit'));
  e.removeListener('x', removed);
});
e.once('x', () => console.log('once: listener count now', e.listenerCount('x')));
e.on('x', removed);
e.prependListener('x', () => console.log('prepended'));
e.prependOnceListener('x', () => console.log('prepended once'));
console.log('emit 1 returned', e.emit('x'));
console.log('emit 2 returned', e.emit('x'));
console.log('emit of unknown event returned', e.emit('nothing'));
console.log('eventNames', e.eventNames().map(String).join(','));
