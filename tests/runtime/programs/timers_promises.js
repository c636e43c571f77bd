// Timers, immediates, ticks and promises interleaved: the orders vary by seed.
const order = [];
setTimeout(() => order.push('timeout 0'), 0);
setTimeout(() => order.push('timeout 1'), 1);
setImmediate(() => order.push('immediate'));
process.nextTick(() => order.push('tick'));
Promise.resolve().then(() => order.push('micro'));
(async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    order.push('await ' + i);
  }
})();
setTimeout(() => console.log(order.join(', ')), 20);
