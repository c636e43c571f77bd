// Checks zlib's Zstandard support: zstdCompress and zstdDecompress callbacks (thread-pool work, one
// after the other) round-trip a buffer, the frame starts with zstd's magic number, a compression level
// set through params still round-trips, a stream pipeline through createZstdCompress and
// createZstdDecompress reproduces its input, and corrupt input fails with a zlib error.
// requires: node >= 22.15
'use strict';
const zlib = require('zlib');
const { pipeline, Readable, Writable } = require('stream');
const log = (message) => console.log(message);

const input = Buffer.from('loopsim '.repeat(2000));
process.nextTick(() => log('tick after the first compress call'));
zlib.zstdCompress(input, (err, compressed) => {
  log(`compressed: err ${err}, smaller ${compressed.length < input.length}, magic ${compressed.subarray(0, 4).toString('hex')}`);
  zlib.zstdDecompress(compressed, (err2, output) => {
    log(`decompressed: err ${err2}, equal ${output.equals(input)}`);
    const params = { [zlib.constants.ZSTD_c_compressionLevel]: 19 };
    zlib.zstdCompress(input, { params }, (err3, strong) => {
      log(`level 19: err ${err3}, round trip ${zlib.zstdDecompressSync(strong).equals(input)}`);
      streams();
    });
  });
});

function streams() {
  const chunks = [];
  pipeline(
    Readable.from(['alpha ', 'beta ', 'gamma'].map((s) => Buffer.from(s))),
    zlib.createZstdCompress(),
    zlib.createZstdDecompress(),
    new Writable({ write(chunk, _enc, cb) { chunks.push(chunk); cb(); } }),
    (err) => {
      log(`pipeline: err ${err}, output "${Buffer.concat(chunks)}"`);
      zlib.zstdDecompress(Buffer.from('not zstd at all'), (bad) => log(`corrupt input: ${bad.code}, ${bad.errno}`));
    },
  );
}
