// Checks that with an 'uncaughtException' handler the program continues, the monitor runs first, and status stays 0.
const order = [];
process.on('uncaughtExceptionMonitor', (err, origin) => order.push('monitor ' + err.message + ' ' + origin));
process.on('uncaughtException', (err, origin) => {
  order.push('handler ' + err.message + ' ' + origin);
  console.log(order.join('\n'));
  order.length = 0;
});
setTimeout(() => { throw new Error('from timer'); }, 1);
setTimeout(() => {
  console.log('timer after the throwing one still runs');
  setImmediate(() => {
    setTimeout(() => console.log('and the process goes on'), 10);
    throw new TypeError('from immediate');
  });
}, 10);
process.on('exit', (code) => console.log('exit', code));
