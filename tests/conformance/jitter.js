// Preload for record.sh (`node -r ./jitter.js`): stalls at random points by up to 25 ms, so a program
// whose output depends on timing margins (rather than on the loop's ordering rules) shows different
// output across runs and is refused. Prints nothing and changes no ordering rule.
'use strict';
const asyncHooks = require('async_hooks');

function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

function maybeStall() {
  if (Math.random() < 0.3) spin(Math.floor(Math.random() * 25));
}

// Slow start-up, before the main script.
spin(Math.floor(Math.random() * 25));
// A slow end of the main script's turn, before the loop starts (the tick runs after the main script).
process.nextTick(maybeStall);
// Time passing when async work is created, and slow callbacks.
asyncHooks.createHook({ init: maybeStall, before: maybeStall }).enable();
