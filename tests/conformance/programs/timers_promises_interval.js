// Checks the timers/promises setInterval async iterator yields its value repeatedly and stops on break.
const { setInterval: every } = require('timers/promises');
async function main() {
  let n = 0;
  for await (const v of every(5, 'tick')) {
    n++;
    console.log(v, n);
    if (n === 4) break;
  }
  console.log('left loop after', n);
  const it = every(2, 'manual')[Symbol.asyncIterator]();
  console.log(JSON.stringify(await it.next()));
  console.log(JSON.stringify(await it.return()));
  console.log(JSON.stringify(await it.next()));
}
main().then(() => console.log('done'));
process.on('exit', (c) => console.log('exit', c));
