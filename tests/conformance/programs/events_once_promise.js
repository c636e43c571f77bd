// Checks events.once resolves inside emit but its continuation runs after emit returns, with all arguments.
const { once, EventEmitter } = require('events');
const e = new EventEmitter();
(async () => {
  const args = await once(e, 'ready');
  console.log('once resolved with', args.join(','));
  try {
    await once(e, 'data');
  } catch (err) {
    console.log('once rejected by error event:', err.message);
  }
  const ac = new AbortController();
  const p = once(e, 'never', { signal: ac.signal });
  ac.abort();
  try { await p; } catch (err) { console.log('once aborted:', err.name); }
})();
console.log('listeners before emit', e.listenerCount('ready'));
e.emit('ready', 1, 2, 3);
console.log('emit returned, listeners now', e.listenerCount('ready'));
setImmediate(() => e.emit('error', new Error('bad data')));
