// Races a crypto.pbkdf2 callback (thread pool) against a 2 ms timer: which runs first depends on how long the hashing takes.
//
// Outcomes (pbkdf2_vs_timer.outcomes):
// - "pbkdf2,timer": the hashing (a few thousand SHA-256 rounds, well under 2 ms on an idle machine)
//   completes and its poll phase comes before the timer's deadline.
// - "timer,pbkdf2": the pool thread is slow (a loaded machine, or the main thread is stalled so that the
//   timer is already due when the loop first looks): the timers phase runs first. No rule of the loop
//   orders a thread-pool completion against a timer (node-loop-semantics §10).
'use strict';
const crypto = require('crypto');
const order = [];
const done = () => order.length === 2 && console.log(order.join(','));
crypto.pbkdf2('password', 'salt', 3000, 32, 'sha256', () => { order.push('pbkdf2'); done(); });
setTimeout(() => { order.push('timer'); done(); }, 2);
