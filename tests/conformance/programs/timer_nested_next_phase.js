// Checks that a timer created during the timers phase never runs in that same phase, and immediates come first.
setTimeout(() => {
  console.log('outer timer');
  setTimeout(() => {
    console.log('inner timeout 0');
    setTimeout(() => {
      console.log('nested level 2');
      setTimeout(() => console.log('nested level 3'), 5);
      setImmediate(() => console.log('immediate from level 2'));
    }, 5);
  }, 0);
  setImmediate(() => console.log('immediate from timer'));
  process.nextTick(() => console.log('tick from timer'));
}, 1);
