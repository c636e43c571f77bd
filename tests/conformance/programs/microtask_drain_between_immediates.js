// Checks that ticks and microtasks drain after each immediate callback, before the next immediate.
for (let i = 0; i < 3; i++) {
  setImmediate(() => {
    console.log('immediate', i);
    Promise.resolve().then(() => console.log('  promise after immediate', i));
    process.nextTick(() => console.log('  tick after immediate', i));
  });
}
