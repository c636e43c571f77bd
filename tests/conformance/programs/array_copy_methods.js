// Checks the copying array methods (toSorted, toReversed, toSpliced, with) and findLast/findLastIndex
// on a log of events collected from a chain of timers, an immediate and a tick: each method leaves the
// collected array untouched, and the log's own order is the loop's.
// requires: node >= 20
'use strict';
const seen = [];
const add = (what) => seen.push(what);

setTimeout(() => {
  add('timer 1');
  setImmediate(() => {
    add('immediate from timer 1');
    setTimeout(() => {
      add('timer 5');
      setTimeout(report, 10);
    }, 5);
  });
  process.nextTick(() => add('tick from timer 1'));
}, 1);

function report() {
  add('timer 10');
  const before = seen.join('|');
  console.log(`log: ${seen.join(', ')}`);
  console.log(`toSorted: ${seen.toSorted().join(', ')}`);
  console.log(`toReversed: ${seen.toReversed().join(', ')}`);
  console.log(`toSpliced(1, 2, 'x'): ${seen.toSpliced(1, 2, 'x').join(', ')}`);
  console.log(`with(0, 'first'): ${seen.with(0, 'first')[0]}; with(-1): ${seen.with(-1, 'last').at(-1)}`);
  console.log(`findLast timer: ${seen.findLast((s) => s.startsWith('timer'))} at ${seen.findLastIndex((s) => s.startsWith('timer'))}`);
  console.log(`untouched: ${seen.join('|') === before}`);
  try {
    seen.with(99, 'x');
  } catch (e) {
    console.log(`with(99): ${e.name}`);
  }
}
