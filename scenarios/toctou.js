// Bug class: check-then-act on files (TOCTOU).
// Two workers start a few milliseconds apart and each tries to become the leader by creating a lock
// file: it checks with fs.stat that the file does not exist yet, then writes it. Between the check and
// the write the other worker can make the same check, so both see "no lock" and both become leader.
const fs = require('fs');
const path = require('path');
const os = require('os');

const lock = path.join(os.tmpdir(), 'toctou-leader.lock');
fs.rmSync(lock, { force: true }); // a fresh start: nobody leads yet
const leaders = [];

function tryLead(name, done) {
  fs.stat(lock, (err) => {
    if (!err) return done(false); // someone else leads
    fs.writeFile(lock, name, (err2) => {
      if (err2) throw err2;
      leaders.push(name);
      done(true);
    });
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
