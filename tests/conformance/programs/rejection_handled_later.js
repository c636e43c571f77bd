// Checks that handling a rejection after it was reported emits 'rejectionHandled' with the same promise.
let reported;
process.on('unhandledRejection', (reason, p) => {
  reported = p;
  console.log('unhandledRejection', reason.message);
  setTimeout(() => {
    console.log('attaching catch in a timer');
    p.catch((e) => console.log('catch ran for', e.message));
  }, 5);
});
process.on('rejectionHandled', (p) => console.log('rejectionHandled, same promise:', p === reported));
Promise.reject(new Error('late handled'));
process.on('exit', (code) => console.log('exit', code));
