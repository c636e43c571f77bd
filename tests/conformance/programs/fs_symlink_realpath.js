// Checks symlink, readlink, lstat vs stat, realpath through a link, and ENOENT on a dangling link, chained through callbacks.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'conf-')));
const rel = (p) => path.relative(dir, p);
fs.mkdirSync(path.join(dir, 'real'));
fs.writeFileSync(path.join(dir, 'real', 'f'), 'data');
fs.symlink(path.join(dir, 'real'), path.join(dir, 'link'), (err) => {
  console.log('symlink', err);
  fs.readlink(path.join(dir, 'link'), (err, target) => {
    console.log('readlink', err, rel(target));
    fs.lstat(path.join(dir, 'link'), (err, l) => {
      fs.stat(path.join(dir, 'link'), (err, s) => {
        console.log('lstat symlink', l.isSymbolicLink(), 'stat dir', s.isDirectory());
        fs.realpath(path.join(dir, 'link', 'f'), (err, real) => {
          console.log('realpath', err, rel(real));
          fs.symlink('missing-target', path.join(dir, 'dangling'), (err) => {
            fs.stat(path.join(dir, 'dangling'), (err) => {
              console.log('stat dangling', err.code);
              fs.readFile(path.join(dir, 'link', 'f'), 'utf8', (err, text) => {
                console.log('read through link', text);
                fs.rmSync(dir, { recursive: true });
              });
            });
          });
        });
      });
    });
  });
});
