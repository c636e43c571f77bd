// loopsim's reporter for vitest (given to vitest as one of its --reporter options, next to the default
// one): every test that passed or failed, by its suites' names and its own ("suite › test"), as vitest
// sends each result from its pool; and a test file that failed as a whole (an error while collecting
// it, a failing beforeAll), by its path. Vitest runs it in its main process, whichever pool runs the
// tests.
'use strict';
const path = require('path');
const { report } = require('./sink');

function isFile(task) {
  return task.filepath !== undefined;
}

function fileOf(task) {
  let t = task;
  while (t && !isFile(t)) t = t.suite || t.file;
  return t;
}

// Vitest's collector puts each file's top-level tests and suites in a suite with no name, which its own
// reports leave out, as here.
function nameOf(task) {
  const names = [];
  for (let t = task; t && !isFile(t); t = t.suite) {
    if (t.name) names.unshift(t.name);
  }
  return names.join(' › ');
}

class LoopsimVitestReporter {
  constructor() {
    this.reported = new Set();
  }

  onInit(ctx) {
    this.ctx = ctx;
  }

  // A task's final result, once.
  reportTask(task, result) {
    if (!result || (result.state !== 'pass' && result.state !== 'fail') || this.reported.has(task.id)) return;
    const file = fileOf(task);
    const where = file ? path.relative(process.cwd(), file.filepath) : '';
    const error = result.errors && result.errors[0];
    if (isFile(task)) {
      if (result.state !== 'fail' || !error) return;
      this.reported.add(task.id);
      report({ name: where, file: where, passed: false, error });
      return;
    }
    if (task.type !== 'test' && task.type !== 'custom') return;
    this.reported.add(task.id);
    report({ name: nameOf(task), file: where, passed: result.state === 'pass', error });
  }

  onTaskUpdate(packs) {
    for (const [id, result] of packs) {
      const task = this.ctx.state.idMap.get(id);
      if (task) this.reportTask(task, result);
    }
  }

  // Files that failed before any of their tests ran (while collecting) send no update of their own.
  onFinished(files) {
    for (const file of files || []) this.reportTask(file, file.result);
  }
}

module.exports = LoopsimVitestReporter;
