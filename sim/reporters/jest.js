// loopsim's reporter for jest (given to jest as one of its --reporters, next to the default one): every
// test that passed or failed, by its ancestor titles and title ("suite › test"), and a test file that
// failed to run at all, by its path.
'use strict';
const path = require('path');
const { report } = require('./sink');

class LoopsimJestReporter {
  onTestResult(test, result) {
    const file = path.relative(process.cwd(), result.testFilePath);
    for (const t of result.testResults) {
      if (t.status !== 'passed' && t.status !== 'failed') continue;
      report({ name: [...t.ancestorTitles, t.title].join(' › '), file, passed: t.status === 'passed',
               error: t.failureMessages[0] });
    }
    if (result.testExecError) report({ name: file, file, passed: false, error: result.testExecError });
  }
}

module.exports = LoopsimJestReporter;
