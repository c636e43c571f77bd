// A module with top-level await: its importers wait until a timer has fired.
import { setTimeout as sleep } from 'node:timers/promises';

console.log('slow_counter: evaluating');
let count = await sleep(2, 40);
console.log('slow_counter: evaluated');
export function next() { count += 1; return count; }
export default 'slow_counter';
