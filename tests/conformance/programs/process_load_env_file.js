// Checks process.loadEnvFile and util.parseEnv on a .env file written and read back through the loop:
// quoted, multi-line and commented values, a variable already set is not overwritten, and a missing
// file throws ENOENT.
// requires: node >= 20.12
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const log = (message) => console.log(message);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const file = path.join(dir, '.env');
const text = [
  '# a comment',
  'PLAIN=value',
  'QUOTED="with spaces"',
  "SINGLE='single quoted'",
  'MULTI="line one',
  'line two"',
  'EXPORTED_LATER=new',
  'TRAILING=kept # not part of it',
  '',
].join('\n');

process.env.EXPORTED_LATER = 'already set';
fs.writeFile(file, text, (err) => {
  log(`written: ${err}`);
  fs.readFile(file, 'utf8', (err2, content) => {
    const parsed = util.parseEnv(content);
    log(`parseEnv keys: ${Object.keys(parsed).join(',')}`);
    log(`MULTI: ${JSON.stringify(parsed.MULTI)}, TRAILING: ${JSON.stringify(parsed.TRAILING)}`);
    process.loadEnvFile(file);
    for (const key of ['PLAIN', 'QUOTED', 'SINGLE', 'EXPORTED_LATER']) log(`${key}=${process.env[key]}`);
    try {
      process.loadEnvFile(path.join(dir, 'missing.env'));
    } catch (e) {
      log(`missing file: ${e.code}`);
    }
    fs.rmSync(dir, { recursive: true });
  });
});
