// Fails only when the 0 ms timer fires before the immediate (a schedule-dependent order), so an
// exhaustive enumeration finds it among the first schedules and a random walk on some seeds.
const order = [];
setTimeout(() => order.push('timeout'), 0);
setImmediate(() => order.push('immediate'));
process.on('exit', () => {
  if (order[0] === 'timeout') {
    console.error('timeout ran first');
    process.exitCode = 1;
  }
});
