// Where loopsim's test reporters tell the run what each test did: one JSON object per line written to a
// device of the simulated machine, which the run record keeps (runtime/node/host.h, kTestSinkPath).
// Writes are synchronous, so a test reported is kept however the process ends.
'use strict';
const fs = require('fs');

const kSink = '/dev/loopsim-tests';
let fd = -1;

// The first lines of a failure's message, up to its stack, on one line.
function summarize(error) {
  if (error === undefined || error === null) return '';
  const text = typeof error === 'string' ? error : String(error.message !== undefined ? error.message : error);
  const beforeStack = text.split(/\n\s+at /)[0];
  return beforeStack.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function report({ name, file, passed, error }) {
  if (fd < 0) fd = fs.openSync(kSink, 'a');
  const line = { name, passed };
  if (file) line.file = file;
  if (!passed) line.message = summarize(error);
  fs.writeSync(fd, JSON.stringify(line) + '\n');
}

module.exports = { report, summarize };
