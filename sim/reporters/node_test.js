// loopsim's reporter for node:test (node's --test-reporter, next to the usual one): every test that
// passed or failed, by its path of names ("suite › test"); suites, and parents failing only because a
// subtest failed, are not tests of their own.
'use strict';
const path = require('path');
const { report } = require('./sink');

module.exports = async function* loopsimNodeTestReporter(source) {
  const names = [];
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:start') {
      names.length = data.nesting;
      names[data.nesting] = data.name;
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const details = data.details || {};
    if (details.type === 'suite') continue;
    const error = details.error;
    if (error && error.failureType === 'subtestsFailed') continue;
    report({ name: names.slice(0, data.nesting).concat(data.name).join(' › '),
             file: data.file ? path.relative(process.cwd(), data.file) : '', passed: event.type === 'test:pass',
             error: error && error.cause !== undefined ? error.cause : error });
  }
};
