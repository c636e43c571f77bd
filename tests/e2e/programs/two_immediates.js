// Two immediates, one queued by the other: Node's immediate check handle runs JavaScript in two
// iterations (and its idle handle, which keeps the poll phase from blocking, runs none).
setImmediate(() => setImmediate(() => console.log('second')));
