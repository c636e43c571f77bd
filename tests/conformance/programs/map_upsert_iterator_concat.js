// Checks Map.prototype.getOrInsert and getOrInsertComputed counting the callbacks of one loop run by
// phase (the computed default is made once per key), Iterator.concat joining the per-phase logs lazily,
// and Temporal.PlainDate arithmetic (no clock involved) on the number of callbacks seen.
// requires: node >= 26
'use strict';
const byPhase = new Map();
let computed = 0;
const note = (phase, what) => {
  byPhase.getOrInsertComputed(phase, () => { computed++; return []; }).push(what);
  byPhase.getOrInsert('all', []).push(`${phase}:${what}`);
};

note('main', 'start');
process.nextTick(() => note('tick', 'from main'));
setImmediate(() => {
  note('check', 'first immediate');
  setTimeout(() => {
    note('timers', 'timeout from immediate');
    setImmediate(() => {
      note('check', 'immediate from timeout');
      report();
    });
  }, 1);
});

function report() {
  console.log(`keys: ${[...byPhase.keys()].join(' ')}; defaults computed ${computed} times`);
  const joined = Iterator.concat(byPhase.get('main'), byPhase.get('tick'), byPhase.get('check'), byPhase.get('timers'));
  console.log(`concat: ${joined.map((s) => s.toUpperCase()).toArray().join(' / ')}`);
  console.log(`all: ${byPhase.get('all').join(', ')}`);
  const start = Temporal.PlainDate.from('2026-01-01');
  const later = start.add({ days: byPhase.get('all').length });
  console.log(`Temporal: ${start} + ${byPhase.get('all').length} days = ${later} (${later.dayOfWeek})`);
}
