// Checks breadth order of recursively scheduled nextTicks: each level runs after all earlier-queued ticks.
const log = [];
function spawn(name, depth) {
  process.nextTick(() => {
    log.push(name);
    if (depth > 0) {
      spawn(name + '.a', depth - 1);
      spawn(name + '.b', depth - 1);
    }
  });
}
spawn('r', 3);
spawn('s', 1);
Promise.resolve().then(() => {
  console.log(log.join(' '));
  console.log('count', log.length);
});
