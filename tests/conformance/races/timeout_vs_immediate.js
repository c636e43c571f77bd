// Races a top-level setTimeout(0) against a top-level setImmediate: the order depends on whether 1 ms passed before the first timers phase.
//
// Outcomes (timeout_vs_immediate.outcomes):
// - "timeout,immediate": the loop starts, uv_now is at least 1 ms past the timer's start (the main script's
//   end, start-up of the loop or a slow machine took that long), so the timers phase runs it first.
// - "immediate,timeout": less than 1 ms passed; the timers phase finds nothing due, poll does not block
//   (an immediate is pending), check runs the immediate, the next iteration runs the timer.
// Both are common on real Node; nothing else can happen (both callbacks run exactly once).
'use strict';
const order = [];
const done = () => order.length === 2 && console.log(order.join(','));
setTimeout(() => { order.push('timeout'); done(); }, 0);
setImmediate(() => { order.push('immediate'); done(); });
