// Checks a TypeScript entry file run directly (type stripping, without flags from Node 22.18 and 23.6):
// annotations, interfaces, type-only imports and `satisfies` are erased and the code runs unchanged as
// CommonJS, with timers, immediates, ticks and promises ordered as in the same program written in
// JavaScript.
// requires: node >= 22.18
import type { EventEmitter } from 'node:events';
const { setTimeout: sleep } = require('node:timers/promises') as typeof import('node:timers/promises');

interface Step {
  name: string;
  delayMs: number;
}

type Logger = (message: string) => void;
const log: Logger = (message) => console.log(message);

function describe<T extends object>(value: T): string {
  return Object.keys(value).sort().join(',');
}

const steps: Step[] = [
  { name: 'one', delayMs: 1 },
  { name: 'five', delayMs: 5 },
  { name: 'ten', delayMs: 10 },
];

const config = { retries: 3, label: 'ts' } satisfies Record<string, number | string>;

async function run(all: readonly Step[]): Promise<string[]> {
  await new Promise<void>((resolve) => setImmediate((): void => { log('immediate'); resolve(); }));
  const done: string[] = [];
  await Promise.all(all.map(async (step: Step): Promise<void> => {
    await sleep(step.delayMs);
    done.push(step.name);
  }));
  return done;
}

let emitter: EventEmitter | undefined;
log(`module kind: ${typeof require === 'function' ? 'commonjs' : 'esm'}, emitter ${emitter}`);
log(`config keys: ${describe(config)}`);
process.nextTick((): void => log('tick'));
Promise.resolve().then((): void => log('microtask'));
run(steps).then((order: string[]) => log(`timers finished in order: ${order.join(' ')}`));
process.on('exit', (code: number): void => log(`exit ${code}`));
log('main script end');
