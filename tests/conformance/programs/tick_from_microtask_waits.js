// Checks that a nextTick queued from a microtask runs only after the whole microtask queue is empty.
Promise.resolve().then(() => {
  console.log('promise A');
  process.nextTick(() => console.log('tick from A'));
  Promise.resolve().then(() => console.log('promise A.child'));
});
Promise.resolve().then(() => {
  console.log('promise B');
  queueMicrotask(() => {
    console.log('microtask from B');
    queueMicrotask(() => console.log('microtask from microtask'));
  });
});
queueMicrotask(() => console.log('microtask C'));
