// Checks that rejecting with a non-Error value and no listener still exits with status 1.
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => {
  console.log('rejecting with a plain object');
  Promise.reject({ code: 'E_CUSTOM' });
}, 1);
