// Checks timers/promises setTimeout and setImmediate resolve with their values, in queue order.
const tp = require('timers/promises');
async function main() {
  const v = await tp.setTimeout(10, 'ten');
  console.log('setTimeout resolved', v);
  const w = await tp.setImmediate('imm');
  console.log('setImmediate resolved', w);
  const none = await tp.setTimeout(1);
  console.log('no value gives', none);
  const order = [];
  setImmediate(() => order.push('callback immediate 1'));
  const p = tp.setImmediate().then(() => order.push('promise immediate'));
  setImmediate(() => order.push('callback immediate 2'));
  await p;
  await tp.setImmediate();
  console.log(order.join(', '));
  const fast = tp.setTimeout(5, 'fast');
  const slow = tp.setTimeout(20, 'slow');
  console.log('race winner', await Promise.race([slow, fast]));
  await slow;
}
main().then(() => console.log('done'));
