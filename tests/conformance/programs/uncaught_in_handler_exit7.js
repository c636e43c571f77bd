// Checks that throwing inside the 'uncaughtException' handler gives status 7 and skips 'exit' listeners.
process.on('uncaughtException', (err) => {
  console.log('handler got', err.message);
  throw new Error('thrown by the handler');
});
process.on('exit', () => console.log('exit listener: never'));
setTimeout(() => {
  console.log('timer throws');
  throw new Error('first');
}, 1);
