// Races two independent fs.readFile calls started together: their callbacks come in either order.
//
// Outcomes (two_fs_reads.outcomes):
// - "a,b": each readFile is a chain of thread-pool requests (open, fstat, read, close); with four pool
//   threads the two chains run in parallel and a, submitted first, usually finishes first.
// - "b,a": b's chain overtakes a's when a's thread is descheduled or its completion lands in a later
//   poll phase than b's; libuv promises no order between independent requests (the pool's queue is FIFO
//   for starting work, not for finishing it), and real Node shows it under load.
'use strict';
const fs = require('fs');
const path = require('path');
const order = [];
const done = () => order.length === 2 && console.log(order.join(','));
fs.readFile(__filename, () => { order.push('a'); done(); });
fs.readFile(path.join(__dirname, 'two_fs_reads.outcomes'), () => { order.push('b'); done(); });
