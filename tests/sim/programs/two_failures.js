// Two different bugs, each hit by some seeds: a lost update (a non-zero exit whose message carries the
// count) and a JSON file read back before it was completely written (an uncaught SyntaxError), plus,
// on a few seeds, a check that fails in two places with messages of one shape (two places, two bugs).
const fs = require('fs');
const os = require('os');
const path = require('path');

const file = path.join(os.tmpdir(), 'state.json');
const pick = Math.floor(Math.random() * 4);

function checkReplies(n) {
  console.error(`check failed: ${n} replies`);
  process.exit(1);
}

function checkRequests(n) {
  console.error(`check failed: ${n} replies`);
  process.exit(1);
}

if (pick === 0) {
  let n = 0;
  setTimeout(() => {
    n += 1;
  }, 2);
  setImmediate(() => {
    if (n < 2) {
      console.error(`lost update: n=${n}`);
      process.exit(1);
    }
  });
} else if (pick === 1) {
  const text = JSON.stringify({ counter: 1, owner: 'job' });
  fs.writeFileSync(file, text.slice(0, Math.floor(Math.random() * 10)));
  fs.readFile(file, 'utf8', (err, data) => {
    JSON.parse(data);
  });
} else {
  setTimeout(() => (pick === 2 ? checkReplies : checkRequests)(Math.floor(Math.random() * 100)), 1);
}
