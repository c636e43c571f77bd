// Two staggered read-modify-write updates of one file: the lost update shows on some seeds.
const fs = require('fs');
const path = require('os').tmpdir() + '/counter.json';
fs.writeFileSync(path, JSON.stringify({ n: 0 }));
function increment(done) {
  fs.readFile(path, 'utf8', (err, text) => {
    if (err) throw err;
    const value = JSON.parse(text);
    value.n += 1;
    fs.writeFile(path, JSON.stringify(value), done);
  });
}
let pending = 2;
const finish = () => {
  if (--pending === 0) console.log('counter', JSON.parse(fs.readFileSync(path, 'utf8')).n);
};
increment(finish);
setTimeout(() => increment(finish), 0);
