// Checks clearImmediate on queued immediates, including a later member of the batch being run.
const a = setImmediate(() => console.log('a should not run'));
let c;
setImmediate(() => {
  console.log('b runs and clears c');
  clearImmediate(c);
  clearImmediate(b2);
});
c = setImmediate(() => console.log('c should not run'));
const b2 = setImmediate(() => console.log('b2 should not run'));
setImmediate(() => console.log('d runs'));
clearImmediate(a);
clearImmediate(undefined);
clearImmediate(null);
clearImmediate({});
clearImmediate(a);
const self = setImmediate(() => {
  console.log('self runs; clearing itself is harmless');
  clearImmediate(self);
});
