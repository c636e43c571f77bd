// Checks 'error' without a listener throws from emit, and a throwing listener aborts the remaining ones.
const EventEmitter = require('events');
const e = new EventEmitter();
try {
  e.emit('error', new Error('no listener'));
} catch (err) {
  console.log('emit threw', err.message);
}
try {
  e.emit('error', 'a string');
} catch (err) {
  console.log('non-Error wrapped:', err.code, err instanceof Error);
}
e.on('ev', () => { console.log('listener 1 throws'); throw new Error('listener failure'); });
e.on('ev', () => console.log('listener 2: never'));
try { e.emit('ev'); } catch (err) { console.log('caught', err.message); }
e.on('error', (err) => console.log('error listener got', err.message));
console.log('with listener emit returns', e.emit('error', new Error('handled')));
const monitor = new EventEmitter();
monitor.on(EventEmitter.errorMonitor, (err) => console.log('errorMonitor saw', err.message));
try { monitor.emit('error', new Error('monitored')); } catch (err) { console.log('still thrown', err.message); }
