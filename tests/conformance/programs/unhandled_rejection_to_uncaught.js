// Checks that with no 'unhandledRejection' listener an unhandled rejection reaches 'uncaughtException' with origin unhandledRejection.
process.on('uncaughtException', (err, origin) => {
  console.log('uncaughtException:', err.message, 'origin:', origin);
});
process.on('uncaughtExceptionMonitor', (err, origin) => console.log('monitor first:', origin));
Promise.reject(new Error('rejected'));
setTimeout(() => console.log('process keeps running'), 5);
process.on('exit', (code) => console.log('exit', code));
