// Checks that handled exceptions leave the status at 0 unless exitCode is set, and the handler sees each error once.
let count = 0;
process.on('uncaughtException', (err) => {
  count++;
  console.log('handled', count, err.message);
  if (count === 1) setImmediate(() => { throw new Error('from immediate'); });
  if (count === 2) setTimeout(() => process.nextTick(() => { throw new Error('from tick in timer'); }), 1);
  if (count === 3) process.exitCode = 5;
});
setTimeout(() => { throw new Error('from timer'); }, 1);
process.on('exit', (code) => console.log('exit', code, 'handled', count));
