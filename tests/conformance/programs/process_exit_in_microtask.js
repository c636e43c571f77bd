// Checks process.exit() with no argument inside a promise job uses process.exitCode and stops everything queued.
process.exitCode = 6;
process.on('exit', (code) => console.log('exit listener code', code));
setImmediate(() => {
  console.log('immediate');
  Promise.resolve().then(() => {
    console.log('promise job calls process.exit()');
    queueMicrotask(() => console.log('later microtask: never'));
    process.exit();
  });
  process.nextTick(() => console.log('tick before the promise job'));
});
setImmediate(() => console.log('second immediate: never'));
