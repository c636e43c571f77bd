// What the main module finds when it starts, as node 18 with stdout to a file gives it: no RegExp match
// left over by the boot's warm-up, no extra module or argument, async ids from 1 on (the warm-up takes
// none).
const async_hooks = require('async_hooks');
console.log('lastMatch', JSON.stringify(RegExp.lastMatch), JSON.stringify(RegExp.$1), JSON.stringify(RegExp.input));
console.log('main', require.main === module, 'children', module.children.length, 'argv tail', process.argv.length - 2);
console.log('top execution id', async_hooks.executionAsyncId(), 'trigger', async_hooks.triggerAsyncId());
process.nextTick(() => console.log('tick execution id', async_hooks.executionAsyncId()));
setImmediate(() => {
  console.log('immediate execution id', async_hooks.executionAsyncId());
  setImmediate(() => console.log('nested immediate trigger', async_hooks.triggerAsyncId()));
});
const t = setTimeout(() => {}, 0);
console.log('timeout async id', t[async_hooks.asyncIdSymbol] !== undefined ? 'set' : 'unset');
Promise.resolve().then(() => console.log('microtask execution id', async_hooks.executionAsyncId()));
console.log('cached modules', Object.keys(require.cache).length, 'execArgv', process.execArgv.length);
