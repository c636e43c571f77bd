// Checks an uncaught exception in a timer with no handler: 'exit' gets 1, status 1, later callbacks never run.
process.on('exit', (code) => console.log('exit listener', code));
process.on('beforeExit', () => console.log('beforeExit: never'));
setTimeout(() => {
  console.log('about to throw');
  process.nextTick(() => console.log('tick: never'));
  throw new Error('uncaught in timer');
}, 1);
setTimeout(() => console.log('later timer: never'), 20);
