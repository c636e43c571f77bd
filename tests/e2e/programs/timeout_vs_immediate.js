// The classic race: at top level, whether setTimeout(0) or setImmediate runs first depends on how much
// time passed before the first timers phase. Real Node produces both orders.
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
