// Checks a causally chained fs callback sequence (writeFile, appendFile, readFile, stat, rename, unlink) and that each callback runs after the ticks and promises queued before it.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const a = path.join(dir, 'a.txt');
const b = path.join(dir, 'b.txt');

fs.writeFile(a, 'hello', (err) => {
  console.log('writeFile', err);
  fs.appendFile(a, ' world', (err) => {
    console.log('appendFile', err);
    fs.readFile(a, 'utf8', (err, text) => {
      console.log('readFile', err, JSON.stringify(text));
      fs.stat(a, (err, st) => {
        console.log('stat', err, st.size, st.isFile(), st.isDirectory());
        fs.rename(a, b, (err) => {
          console.log('rename', err, fs.existsSync(a), fs.existsSync(b));
          fs.unlink(b, (err) => {
            console.log('unlink', err, fs.readdirSync(dir).length);
            fs.rmdirSync(dir);
            console.log('done');
          });
        });
      });
    });
  });
  process.nextTick(() => console.log('tick inside writeFile cb'));
  Promise.resolve().then(() => console.log('promise inside writeFile cb'));
});
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('promise'));
console.log('main end');
