// Checks explicit resource management (`using`, `await using`, DisposableStack, AsyncDisposableStack):
// a `using` timer is cleared when its block ends (Timeout's Symbol.dispose), an `await using` FileHandle
// is closed, through the thread pool, before the code after its block runs, resources are disposed in
// reverse order, an async disposer that awaits a timer holds the block's exit until it fires, and
// errors thrown while disposing arrive as a SuppressedError.
// requires: node >= 24
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { setTimeout: sleep } = require('timers/promises');
const log = (message) => console.log(message);

const named = (name) => ({ [Symbol.dispose]() { log(`dispose ${name}`); } });

async function main() {
  {
    using timer = setTimeout(() => log('not printed: disposed before it was due'), 1);
    using first = named('first');
    using second = named('second');
    log(`in block, timer has ref ${timer.hasRef()}`);
  }
  await sleep(5);
  log('after 5 ms: the disposed timer never fired');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
  const file = path.join(dir, 'f.txt');
  let handle;
  {
    await using fh = await fs.promises.open(file, 'w');
    handle = fh;
    await fh.write('written through a disposable handle');
    log(`handle open: fd is a number ${typeof fh.fd === 'number' && fh.fd >= 0}`);
  }
  log(`after the block: fd ${handle.fd}, contents "${fs.readFileSync(file, 'utf8')}"`);
  fs.rmSync(dir, { recursive: true });

  {
    await using slow = { async [Symbol.asyncDispose]() { await sleep(2); log('async dispose after a 2 ms timer'); } };
    setImmediate(() => log('immediate queued in the block'));
    log('leaving the async block');
  }
  log('after the async block');

  const stack = new DisposableStack();
  stack.defer(() => log('deferred 1'));
  stack.use(named('used'));
  stack.adopt('adopted value', (v) => log(`release ${v}`));
  stack.dispose();
  log(`stack disposed: ${stack.disposed}`);

  try {
    using a = { [Symbol.dispose]() { throw new Error('from dispose a'); } };
    throw new Error('from the block');
  } catch (e) {
    log(`${e.constructor.name}: error "${e.error.message}", suppressed "${e.suppressed.message}"`);
  }

  const asyncStack = new AsyncDisposableStack();
  asyncStack.defer(async () => { await null; log('async deferred 1'); });
  asyncStack.defer(async () => { await sleep(1); log('async deferred 2 (runs first)'); });
  await asyncStack.disposeAsync();
  log('done');
}
main();
