// Crashes by a signal (SIGABRT from process.abort()) on about half of the seeds, passes on the rest.
if (Math.random() < 0.5) process.abort();
console.log('ok');
