// Checks that ticks and microtasks drain after each timer callback, before the next timer of the same list.
for (let i = 0; i < 3; i++) {
  setTimeout(() => {
    console.log('timer', i);
    process.nextTick(() => console.log('  tick after timer', i));
    Promise.resolve().then(() => console.log('  promise after timer', i));
    queueMicrotask(() => process.nextTick(() => console.log('  tick from microtask after timer', i)));
  }, 10);
}
