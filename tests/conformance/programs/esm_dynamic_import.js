// Checks import() from a CommonJS entry: a module is evaluated once however often it is imported, a
// module with top-level await settles its importers only after its timer fired, and a failed import
// rejects with ERR_MODULE_NOT_FOUND; ticks queued beside each import run before it settles.
// Node 18 and 20 (NAME.v18.stdout, NAME.v20.stdout) read an imported module's source with fs/promises'
// readFile, several thread-pool round trips, so the immediate queued beside the slow import runs before
// that module is evaluated. The ESM loaders of Node 22, 24 and 26 read sources with readFileSync
// (getSourceSync in lib/internal/modules/esm/load.js; nodejs/node#57419 made the default load path
// synchronous), so slow_counter starts evaluating inside the import's own turn, before the immediate
// (and finishes after it, once its timer fired).
'use strict';
const log = (message) => console.log(message);

async function main() {
  process.nextTick(() => log('tick beside the first import'));
  const [a, b] = await Promise.all([import('./modules/plain.mjs'), import('./modules/plain.mjs')]);
  log(`plain imported twice: same namespace ${a === b}, add ${a.add(2, 3)}, keys ${Object.keys(a).join(',')}`);

  // From a timer's turn, so the immediate is ordered against the module's own 2 ms timer (an immediate
  // queued in a timer callback runs before any timer set there).
  await new Promise((resolve) => setTimeout(resolve, 1));
  setImmediate(() => log('immediate queued beside the slow import'));
  const slow = await import('./modules/slow_counter.mjs');
  log(`slow_counter: default ${slow.default}, next ${slow.next()}, next ${slow.next()}`);
  const again = await import('./modules/slow_counter.mjs');
  log(`slow_counter again: next ${again.next()}`);

  try {
    await import('./modules/missing.mjs');
  } catch (e) {
    log(`missing: ${e.code}`);
  }
}
main().then(() => log('main done'));
log('main script end');
