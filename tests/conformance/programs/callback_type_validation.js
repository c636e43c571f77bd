// Checks that scheduling APIs reject non-function callbacks with ERR_INVALID_ARG_TYPE synchronously.
const attempts = {
  setTimeout: () => setTimeout('code string', 1),
  setInterval: () => setInterval(null, 1),
  setImmediate: () => setImmediate(42),
  'process.nextTick': () => process.nextTick({}),
  queueMicrotask: () => queueMicrotask(undefined),
};
for (const [name, fn] of Object.entries(attempts)) {
  try {
    fn();
    console.log(name, 'accepted');
  } catch (err) {
    console.log(name, err.name, err.code);
  }
}
setImmediate(() => console.log('loop still runs'));
