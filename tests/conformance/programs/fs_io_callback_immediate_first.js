// Checks that from an fs callback (poll phase) an immediate runs before a zero timeout, and ticks/microtasks before both.
'use strict';
const fs = require('fs');
fs.stat(__filename, (err, st) => {
  console.log('stat', err, st.isFile());
  setTimeout(() => {
    console.log('timeout');
    // Started only now, so its completion cannot race the timers above.
    fs.readFile(__filename, (err, buf) => {
      console.log('readFile', err, buf.length > 0);
      setImmediate(() => console.log('immediate 2'));
      setTimeout(() => console.log('timeout 2'), 0);
    });
  }, 0);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('tick'));
  Promise.resolve().then(() => console.log('microtask'));
});
