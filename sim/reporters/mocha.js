// loopsim's reporter for mocha, required before the program: when mocha's Runner class is loaded, each
// run of it reports every test that passes or fails (and every failing hook) to the sink, by its title
// path ("suite › test"). Mocha's own reporter prints as usual.
'use strict';
const Module = require('module');
const path = require('path');
const { report } = require('./sink');

const load = Module._load;
let patched = false;

function isMochaRunner(exports) {
  return typeof exports === 'function' && exports.constants !== undefined &&
         exports.constants.EVENT_TEST_FAIL === 'fail' && typeof exports.prototype.run === 'function';
}

function nameOf(test) {
  return typeof test.titlePath === 'function' ? test.titlePath().join(' › ') : test.fullTitle();
}

function fileOf(test) {
  return test.file ? path.relative(process.cwd(), test.file) : '';
}

Module._load = function loadWatchingForMocha(request, parent, isMain) {
  const exports = load.apply(this, arguments);
  if (!patched && isMochaRunner(exports)) {
    patched = true;
    const run = exports.prototype.run;
    exports.prototype.run = function runReportingToLoopsim(...args) {
      this.on('pass', (test) => report({ name: nameOf(test), file: fileOf(test), passed: true }));
      this.on('fail', (test, error) => report({ name: nameOf(test), file: fileOf(test), passed: false, error }));
      return run.apply(this, args);
    };
  }
  return exports;
};
