// The fixed twin of toctou.js: the check and the act are one atomic step. Opening the lock file with
// the 'wx' flag (O_CREAT|O_EXCL) fails with EEXIST when it already exists, so only one worker wins.
const fs = require('fs');
const path = require('path');
const os = require('os');

const lock = path.join(os.tmpdir(), 'toctou-leader.lock');
fs.rmSync(lock, { force: true }); // a fresh start: nobody leads yet
const leaders = [];

function tryLead(name, done) {
  fs.writeFile(lock, name, { flag: 'wx' }, (err) => {
    if (err) {
      if (err.code === 'EEXIST') return done(false);
      throw err;
    }
    leaders.push(name);
    done(true);
  });
}

let pending = 2;
function finished(name) {
  return (lead) => {
    console.log(`${name}: ${lead ? 'leader' : 'follower'}`);
    if (--pending === 0 && leaders.length !== 1) {
      console.error(`two leaders: ${leaders.join(', ')}`);
      process.exit(1);
    }
  };
}

setTimeout(() => tryLead('worker A', finished('worker A')), 1);
setTimeout(() => tryLead('worker B', finished('worker B')), 2);
