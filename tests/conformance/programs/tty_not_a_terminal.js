// Checks that stdout and stderr redirected to files are not terminals: isatty is false, the streams are not TTY streams, and a tty.WriteStream on them fails with ERR_TTY_INIT_FAILED (EINVAL).
'use strict';
const tty = require('tty');
console.log('isatty', tty.isatty(1), tty.isatty(2), tty.isatty(-1), tty.isatty(1000));
console.log('stdout isTTY', process.stdout.isTTY, 'columns', process.stdout.columns);
for (const fd of [1, 2]) {
  try {
    new tty.WriteStream(fd);
    console.log(fd, 'became a tty stream');
  } catch (e) {
    console.log(fd, e.code, e.message);
  }
}
