// Checks how setTimeout coerces delays (NaN, negative, strings, objects, >2^31-1) via the stored duration.
const cases = [
  ['undefined', undefined], ['null', null], ['0', 0], ['NaN', NaN], ['-5', -5], ['0.5', 0.5],
  ['1.9', 1.9], ['"25"', '25'], ['"abc"', 'abc'], ['"  7 "', '  7 '], ['true', true], ['[]', []],
  ['[12]', [12]], ['{valueOf:3}', { valueOf() { return 3; } }], ['Infinity', Infinity],
  ['-Infinity', -Infinity], ['2**31-1', 2 ** 31 - 1], ['2**31', 2 ** 31], ['1e12', 1e12],
];
for (const [label, delay] of cases) {
  const t = setTimeout(() => {}, delay);
  console.log(label.padEnd(12), '->', t._idleTimeout);
  clearTimeout(t);
}
const i = setInterval(() => {}, -1);
console.log('interval -1  ->', i._idleTimeout, 'repeat', i._repeat);
clearInterval(i);
