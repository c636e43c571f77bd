// Checks for-await over a Readable: chunks in order, early break destroys the stream, and errors surface as throws.
'use strict';
const { Readable } = require('stream');
(async () => {
  const r1 = Readable.from([1, 2, 3, 4]);
  for await (const v of r1) console.log('value', v);
  console.log('r1 destroyed', r1.destroyed);
  const r2 = Readable.from([1, 2, 3, 4]);
  r2.on('close', () => console.log('r2 close'));
  for await (const v of r2) {
    console.log('r2 value', v);
    if (v === 2) break;
  }
  console.log('after break', r2.destroyed);
  const r3 = new Readable({
    read() {
      this.destroy(new Error('read failed'));
    },
  });
  try {
    for await (const v of r3) console.log('unreached', v);
  } catch (e) {
    console.log('caught', e.message);
  }
})();
