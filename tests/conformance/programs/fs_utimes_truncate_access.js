// Checks utimes with fixed times, truncate/extend, access modes and chmod, each read back through stat.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const f = path.join(dir, 'f');
fs.writeFileSync(f, '0123456789');
fs.utimes(f, new Date('2001-02-03T04:05:06Z'), 1234567890, (err) => {
  const st = fs.statSync(f);
  console.log('utimes', err, st.atime.toISOString(), st.mtimeMs);
  fs.truncate(f, 4, (err) => {
    console.log('truncate', err, JSON.stringify(fs.readFileSync(f, 'utf8')));
    fs.truncate(f, 6, (err) => {
      console.log('extend', err, JSON.stringify(fs.readFileSync(f, 'latin1')));
      fs.chmod(f, 0o640, (err) => {
        console.log('chmod', err, (fs.statSync(f).mode & 0o777).toString(8));
        fs.access(f, fs.constants.R_OK | fs.constants.W_OK, (err) => {
          console.log('access rw', err);
          fs.access(path.join(dir, 'none'), (err) => {
            console.log('access missing', err.code);
            fs.rmSync(dir, { recursive: true });
          });
        });
      });
    });
  });
});
