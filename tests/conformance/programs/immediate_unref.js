// Checks that an unref'd immediate does not keep the loop alive by itself but runs when the loop iterates anyway.
setTimeout(() => {
  const im = setImmediate(() => console.log('unref immediate ran'));
  im.unref();
  console.log('hasRef after unref', im.hasRef());
  setTimeout(() => console.log('timer kept the loop alive'), 10);
}, 1);
process.on('exit', () => console.log('exit'));
