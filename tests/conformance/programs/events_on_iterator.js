// Checks events.on buffers a burst of events and yields them in order, then ends on abort with AbortError.
const { on, EventEmitter } = require('events');
const e = new EventEmitter();
const ac = new AbortController();
(async () => {
  const got = [];
  try {
    for await (const [v] of on(e, 'item', { signal: ac.signal })) {
      got.push(v);
      console.log('got', v);
      if (v === 3) setImmediate(() => { e.emit('item', 4); ac.abort(); e.emit('item', 5); });
    }
  } catch (err) {
    console.log('loop ended with', err.name, 'after', got.join(','));
  }
})();
e.emit('item', 1);
e.emit('item', 2);
e.emit('item', 3);
console.log('burst emitted');
