// Fails with a non-zero exit code and a message of its own, no exception.
setImmediate(() => {
  console.error('giving up');
  process.exitCode = 3;
});
