// Checks hasRef/ref/unref: unref'd timers do not keep the process alive, ref() restores it.
const log = [];
const t = setTimeout(() => log.push('never: unref and nothing else keeps loop alive'), 5000);
console.log('hasRef initially', t.hasRef());
console.log('unref returns timer', t.unref() === t, 'hasRef', t.hasRef());
const v = setTimeout(() => log.push('unref short timer fires while loop is alive'), 5);
v.unref();
const u = setTimeout(() => log.push('unref then ref fires'), 20);
u.unref();
console.log('ref returns timer', u.ref() === u, 'hasRef', u.hasRef());
const iv = setInterval(() => log.push('never: unref interval with long period'), 10000).unref();
console.log('interval hasRef', iv.hasRef());
const im = setImmediate(() => {});
console.log('immediate hasRef', im.hasRef(), 'after unref', im.unref().hasRef(), 'after ref', im.ref().hasRef());
process.on('exit', (c) => console.log(log.join('\n') + '\nexit ' + c));
