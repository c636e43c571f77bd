// Checks node:test run in-process from the entry file: synchronous, callback-free async and nested
// tests, a skipped one and a failing one, hooks, and the order in which tests, their timers and the
// reporter's output interleave; the failing test sets the exit status to 1. Durations are the only
// timing in the report and are masked below (they are the host's: under loopsim, where time stands still
// while JavaScript runs, a synchronous test takes 0 ms and the spec reporter leaves its duration out, so
// the spec report's durations are removed, not replaced), as is the file path; the failing
// test's error carries a fixed stack (a real one lists node's internal frames and their line numbers).
// The report's format is each major's own. Node 24 and 26 (NAME.stdout) print the spec reporter's
// report: it is the default for every stdout since Node 23 (nodejs/node#54548). Node 18 and 20
// (NAME.v18.stdout, NAME.v20.stdout) print TAP, the default then for a stdout that is not a terminal;
// Node 22 (NAME.v22.stdout) prints TAP too, with a `type: 'test'` line in each test's YAML block (its
// test events carry whether a test is a test or a suite). The tests, hooks and timers run in the same
// order on every major; only where the `order:` line falls in the report differs with the reporter.
'use strict';
const test = require('node:test');
const { setTimeout: sleep } = require('node:timers/promises');

// The reporter writes through process.stdout.write: mask what depends on the host.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => write(String(chunk)
  .replace(/duration_ms:? [0-9.]+/g, 'duration_ms <ms>')
  .replace(/ \([0-9.]+m?s\)/g, '')
  .replace(/(location: ')[^']*(')/g, '$1<file>$2')
  .replace(/\/[^\s'"]*\/node_test_runner\.js(:\d+:\d+)?/g, '<file>'), ...rest);

const order = [];
test.before(() => order.push('before all'));
test.after(() => { console.log(`order: ${order.join(', ')}`); });

test('sync arithmetic', () => {
  order.push('sync');
  if (1 + 1 !== 2) throw new Error('arithmetic');
});

test('async timers in order', async () => {
  order.push('async start');
  const seen = [];
  await Promise.all([sleep(1).then(() => seen.push(1)), sleep(10).then(() => seen.push(10))]);
  if (seen.join() !== '1,10') throw new Error(`timers fired in the order ${seen}`);
  order.push('async end');
});

test('nested', async (t) => {
  t.beforeEach(() => order.push('beforeEach'));
  await t.test('inner one', () => { order.push('inner one'); });
  await t.test('inner two', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    order.push('inner two');
  });
});

test('skipped', { skip: 'not today' }, () => {
  order.push('skipped ran');
});

test('failing', () => {
  order.push('failing');
  // A fixed stack: the real one lists node's internal frames with their line numbers, which change
  // with every release.
  const error = new Error('left is not right');
  error.stack = 'Error: left is not right\n    at the failing test';
  throw error;
});

process.on('exit', (code) => console.log(`exit ${code}`));
