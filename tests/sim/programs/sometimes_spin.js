// Never returns to the event loop on about a third of the seeds; passes on the rest.
if (Math.random() < 0.34) {
  while (true) {}
}
console.log('done');
