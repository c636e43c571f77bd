// Checks that after a handled throw in an immediate the rest of the batch still runs, in order, in the same check phase.
process.on('uncaughtException', (err) => console.log('handler:', err.message));
const log = [];
setImmediate(() => log.push('first'));
setImmediate(() => {
  log.push('second throws');
  throw new Error('immediate failure');
});
setImmediate(() => log.push('third'));
setImmediate(() => {
  log.push('fourth');
  console.log(log.join(', '));
  const after = [];
  setImmediate(() => { after.push('x throws'); throw new Error('again'); });
  setImmediate(() => { after.push('y'); setImmediate(() => console.log(after.join(', '))); });
});
