// Everything a seed pins: each value must come from the seed, never from the zygote's boot.
const crypto = require('crypto');
console.log('random', Math.random(), Math.random());
console.log('uuid', crypto.randomUUID());
console.log('bytes', crypto.randomBytes(8).toString('hex'));
console.log('int', crypto.randomInt(1000000));
console.log('date', Date.now(), new Date().toISOString());
console.log('hrtime', process.hrtime.bigint() > 0n, performance.now() >= 0);
console.log('argv', process.argv.slice(1), process.execArgv);
console.log('async id', require('async_hooks').executionAsyncId());
setTimeout(() => console.log('later', Date.now(), Math.random()), 5);
