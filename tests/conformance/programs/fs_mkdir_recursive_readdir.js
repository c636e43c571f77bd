// Checks mkdir -p return values, readdir withFileTypes, and recursive rm, chained through callbacks.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const rel = (p) => (p === undefined ? p : path.relative(dir, p));

fs.mkdir(path.join(dir, 'a', 'b', 'c'), { recursive: true }, (err, first) => {
  console.log('mkdir -p', err, rel(first));
  fs.mkdir(path.join(dir, 'a', 'b'), { recursive: true }, (err, first) => {
    console.log('mkdir -p existing', err, first);
    fs.writeFileSync(path.join(dir, 'a', 'f1'), '1');
    fs.writeFileSync(path.join(dir, 'a', 'f2'), '22');
    fs.readdir(path.join(dir, 'a'), { withFileTypes: true }, (err, entries) => {
      entries.sort((x, y) => (x.name < y.name ? -1 : 1));
      for (const e of entries) console.log('entry', e.name, e.isFile(), e.isDirectory());
      fs.rm(path.join(dir, 'a'), { recursive: true }, (err) => {
        console.log('rm -r', err);
        fs.readdir(dir, (err, names) => {
          console.log('left', names);
          fs.rmdir(dir, (err) => console.log('rmdir', err));
        });
      });
    });
  });
});
