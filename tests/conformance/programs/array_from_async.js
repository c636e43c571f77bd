// Checks Array.fromAsync over an async generator whose values come from timers, an immediate and
// fs.readFile, over a sync iterable of promises (awaited one after the other), with a mapping
// function, and with a source that throws half-way: the rejection carries the error and what came
// before is lost. Ticks queued while it runs come in between its steps.
// requires: node >= 22
'use strict';
const fs = require('fs');
const { setTimeout: sleep, setImmediate: nextTurn } = require('timers/promises');
const log = (message) => console.log(message);

async function* sources() {
  yield await sleep(2, 'timer');
  process.nextTick(() => log('tick between steps'));
  yield await nextTurn('immediate');
  yield (await fs.promises.readFile(__filename, 'utf8')).split('\n')[0].slice(3, 9);
}

async function* failing() {
  yield 1;
  yield 2;
  throw new Error('source broke after two');
}

async function main() {
  log(`generator: ${(await Array.fromAsync(sources())).join(' | ')}`);

  const started = [];
  const delayed = (value, ms) => { started.push(value); return sleep(ms, value); };
  const values = await Array.fromAsync([delayed('a', 3), delayed('b', 1)], (v) => v.toUpperCase());
  log(`promises mapped: ${values.join(' ')} (started ${started.join(' ')})`);

  const lengths = await Array.fromAsync({ length: 3, 0: 'x', 1: Promise.resolve('yy'), 2: 'zzz' }, async (v) => {
    await null;
    return v.length;
  });
  log(`array-like with async mapper: ${lengths.join(' ')}`);

  try {
    await Array.fromAsync(failing());
  } catch (e) {
    log(`rejected: ${e.message}`);
  }
}
main();
