// Races a thread-pool fs.stat callback against a top-level setImmediate (node-loop-semantics §6: a thread-pool callback vs a top-level immediate).
//
// Outcomes (fs_stat_vs_immediate.outcomes):
// - "immediate,stat": the first poll phase runs with timeout 0 (an immediate is pending) and the stat has
//   not completed yet, so check runs the immediate; the stat's callback comes in a later poll phase.
// - "stat,immediate": the stat completed on a pool thread before the first poll phase looked (the main
//   script's end and loop start-up took longer than the stat), so its callback runs in that poll phase,
//   before the check phase. Rarer on a fast idle machine, common when the main thread is slowed (the
//   jittered runs of record_races.sh stall it at the end of the main script).
'use strict';
const fs = require('fs');
const order = [];
const done = () => order.length === 2 && console.log(order.join(','));
fs.stat(__filename, () => { order.push('stat'); done(); });
setImmediate(() => { order.push('immediate'); done(); });
