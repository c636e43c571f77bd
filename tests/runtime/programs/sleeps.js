// Sleeps 3600 times in turn, each on a 1 s timer (a virtual hour).
(async () => {
  for (let i = 0; i < 3600; i++) await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log('slept 3600 times');
})();
