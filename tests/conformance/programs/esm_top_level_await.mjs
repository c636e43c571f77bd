// Checks an ES module entry with top-level await: where the module's own continuations fall among the
// ticks and microtasks it queued, and that the loop keeps the module alive across an immediate, a timer
// from timers/promises and fs/promises calls, each continuation running in that callback's turn.
import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const log = (message) => console.log(message);
process.on('beforeExit', () => log('beforeExit'));
process.on('exit', (code) => log(`exit ${code}`));

log('module: start');
process.nextTick(() => log('tick queued at top level'));
queueMicrotask(() => log('microtask queued at top level'));
await null;
log('module: after await null');

await new Promise((resolve) => setImmediate(() => {
  log('immediate');
  process.nextTick(() => log('tick from immediate'));
  resolve();
}));
log('module: after the immediate');

const value = await sleep(5, 'five');
log(`module: sleep resolved with ${value}`);
await new Promise((resolve) => {
  setTimeout(() => { log('timeout 0 queued in the timer turn'); resolve(); }, 0);
  setImmediate(() => log('immediate queued in the timer turn'));
  process.nextTick(() => log('tick queued in the timer turn'));
});

const dir = await mkdtemp(join(tmpdir(), 'conf-'));
await writeFile(join(dir, 'f.txt'), 'from the module');
log(`module: read back "${await readFile(join(dir, 'f.txt'), 'utf8')}"`);
await rm(dir, { recursive: true });
log('module: end');
