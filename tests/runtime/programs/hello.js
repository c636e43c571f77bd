console.log('hello', process.argv.length);
