// Checks util.styleText with stdout redirected to a file (not a terminal): what each major writes for a
// single format, a list of formats and an unknown format, printed through JSON.stringify so that escape
// codes show; the results are passed through a timer and an immediate first, to show styleText is pure.
// From Node 22 styleText checks, for any format, whether process.stdout should be coloured (it is a
// file here, so the text comes back plain). Node 20 (NAME.v20.stdout) does that check only for a
// single format: a list of formats is always styled with escape codes.
// requires: node >= 20.12
'use strict';
const { styleText } = require('util');
const log = (message) => console.log(message);

const styled = [];
setTimeout(() => {
  styled.push(['red', styleText('red', 'error')]);
  setImmediate(() => {
    try {
      styled.push(['bold+underline', styleText(['bold', 'underline'], 'both')]);
    } catch (e) {
      styled.push(['bold+underline', e.code]);
    }
    try {
      styleText('no-such-format', 'x');
    } catch (e) {
      styled.push(['unknown format', e.code]);
    }
    for (const [what, result] of styled) log(`${what}: ${JSON.stringify(result)}`);
  });
}, 1);
