// Checks that immediates queued while the check phase runs wait for the next iteration, after the current batch.
setImmediate(() => {
  console.log('A (batch 1)');
  setImmediate(() => {
    console.log('C (queued by A, batch 2)');
    setImmediate(() => console.log('E (queued by C, batch 3)'));
  });
  process.nextTick(() => setImmediate(() => console.log('F (queued by tick after A, batch 2)')));
});
setImmediate(() => {
  console.log('B (batch 1)');
  setImmediate(() => console.log('D (queued by B, batch 2)'));
});
