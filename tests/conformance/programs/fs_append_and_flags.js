// Checks append flags: appendFile creates, 'a' WriteStream appends, 'r+' overwrites in place, 'wx' refuses an existing file.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const f = path.join(dir, 'log');
fs.appendFile(f, 'one\n', (err) => {
  console.log('appendFile create', err);
  const ws = fs.createWriteStream(f, { flags: 'a' });
  ws.end('two\n');
  ws.on('close', () => {
    fs.writeFile(f, 'ON', { flag: 'r+' }, (err) => {
      console.log('r+', err, JSON.stringify(fs.readFileSync(f, 'utf8')));
      fs.open(f, 'wx', (err) => {
        console.log('wx', err.code);
        fs.open(path.join(dir, 'nothere'), 'r+', (err) => {
          console.log('r+ missing', err.code);
          fs.rmSync(dir, { recursive: true });
        });
      });
    });
  });
});
