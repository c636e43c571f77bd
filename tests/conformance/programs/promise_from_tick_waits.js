// Checks that promise jobs queued from a nextTick wait until the nextTick queue (incl. new ticks) is empty.
process.nextTick(() => {
  console.log('tick 1');
  Promise.resolve().then(() => console.log('promise from tick 1'));
  process.nextTick(() => {
    console.log('tick 1.1');
    process.nextTick(() => console.log('tick 1.1.1'));
  });
});
process.nextTick(() => {
  console.log('tick 2');
  queueMicrotask(() => {
    console.log('microtask from tick 2');
    process.nextTick(() => console.log('tick from microtask'));
    Promise.resolve().then(() => console.log('promise after tick-from-microtask queued'));
  });
});
