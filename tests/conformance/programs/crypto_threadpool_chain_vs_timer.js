// Checks that work chained from a pbkdf2 callback orders deterministically against a timer set in that callback with a longer delay.
'use strict';
const crypto = require('crypto');
crypto.pbkdf2('p', 's', 10, 8, 'sha256', () => {
  console.log('first pbkdf2');
  // A timer queued in the poll phase vs an immediate: the immediate wins (check comes before timers).
  setTimeout(() => console.log('timer 0'), 0);
  setImmediate(() => {
    console.log('immediate');
    process.nextTick(() => console.log('tick in immediate'));
  });
  Promise.resolve().then(() => console.log('microtask in callback'));
});
