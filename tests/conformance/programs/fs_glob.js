// Checks fs.glob (callback), fs.promises.glob (an async iterator) and fs.globSync over a fresh tree:
// `**` patterns, several patterns at once, `exclude`, a pattern that matches nothing, and that the
// callback form calls back in a later turn of the loop than the call. Matches are sorted before they
// are printed: their order is the directory walk's, which is the file system's.
// requires: node >= 22
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
for (const file of ['a.js', 'b.ts', 'lib/c.js', 'lib/deep/d.js', 'lib/deep/e.json', 'test/a.test.js', 'README.md']) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), file);
}
const sorted = (list) => [...list].sort().join(' ');

let sync = true;
fs.glob('**/*.js', { cwd: dir }, (err, matches) => {
  console.log(`glob callback (sync ${sync}): ${err} ${sorted(matches)}`);
  next();
});
sync = false;
process.nextTick(() => console.log('tick after the glob call'));

async function next() {
  const found = [];
  for await (const match of fs.promises.glob(['*.{js,ts}', 'lib/**/*.json'], { cwd: dir })) found.push(match);
  console.log(`promises glob: ${sorted(found)}`);
  const excluded = [];
  for await (const match of fs.promises.glob('**/*.js', { cwd: dir, exclude: (name) => name === 'deep' || name === 'test' })) {
    excluded.push(match);
  }
  console.log(`without deep and test: ${sorted(excluded)}`);
  console.log(`globSync: ${sorted(fs.globSync('lib/*', { cwd: dir }))}`);
  console.log(`no match: [${fs.globSync('**/*.py', { cwd: dir })}]`);
  fs.rmSync(dir, { recursive: true });
}
