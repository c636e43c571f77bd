// Six jobs (a to f) read files on the thread pool and note the order they finish in; the program
// assumes it is the order they were started in. Every failing seed prints a permutation of the ids
// ("out of order: acbdef"), all one bug.
const fs = require('fs');
const order = [];
for (const id of 'abcdef') fs.stat(__filename, () => order.push(id));
process.on('exit', () => {
  const got = order.join('');
  if (got !== 'abcdef') {
    console.error(`out of order: ${got}`);
    process.exitCode = 1;
  }
});
