// Checks fd-level callbacks: open, positional write and read, fsync, ftruncate, fstat, close, then EBADF on the closed fd.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, 'f');
fs.open(file, 'w+', (err, fd) => {
  console.log('open', err, typeof fd);
  fs.write(fd, 'hello world', 0, 'utf8', (err, written, str) => {
    console.log('write', err, written, str);
    fs.write(fd, Buffer.from('W'), 0, 1, 6, (err, n) => {
      console.log('write at 6', err, n);
      const buf = Buffer.alloc(20);
      fs.read(fd, buf, 0, 20, 0, (err, bytesRead, b) => {
        console.log('read', err, bytesRead, b.toString('utf8', 0, bytesRead), b === buf);
        fs.fsync(fd, (err) => {
          console.log('fsync', err);
          fs.ftruncate(fd, 5, (err) => {
            fs.fstat(fd, (err, st) => {
              console.log('fstat after ftruncate', err, st.size);
              fs.close(fd, (err) => {
                console.log('close', err);
                fs.fstat(fd, (err) => {
                  console.log('fstat closed', err.code, err.syscall);
                  fs.rmSync(dir, { recursive: true });
                });
              });
            });
          });
        });
      });
    });
  });
});
