// Checks that timers whose delays coerce to 1 share one FIFO list and run before a strictly longer timer.
const fired = [];
setTimeout(() => fired.push('NaN'), NaN);
setTimeout(() => fired.push('zero'), 0);
setTimeout(() => fired.push('negative'), -100);
setTimeout(() => fired.push('"abc"'), 'abc');
setTimeout(() => fired.push('1'), 1);
setTimeout(() => fired.push('1.7 (truncated to 1)'), 1.7);
setTimeout(() => fired.push('undefined'), undefined);
setTimeout(() => fired.push('"20"'), '20');
setTimeout(() => fired.push('30'), 30);
setTimeout(() => fired.push('"40"'), '40');
setTimeout(() => console.log(fired.join('\n')), 60);
