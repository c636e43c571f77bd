// Checks crypto.hkdf output against hkdfSync, and async generateKey/generateKeyPair callback shapes, chained in order.
'use strict';
const crypto = require('crypto');
crypto.hkdf('sha256', 'key', 'salt', 'info', 16, (err, ab) => {
  console.log('hkdf', err, Buffer.from(ab).toString('hex'), Buffer.from(crypto.hkdfSync('sha256', 'key', 'salt', 'info', 16)).equals(Buffer.from(ab)));
  crypto.generateKey('hmac', { length: 128 }, (err, key) => {
    console.log('generateKey', err, key.type, key.symmetricKeySize);
    crypto.generateKeyPair('ec', { namedCurve: 'P-256' }, (err, pub, priv) => {
      console.log('generateKeyPair', err, pub.type, priv.type, pub.asymmetricKeyType, pub.asymmetricKeyDetails.namedCurve);
    });
  });
});
process.nextTick(() => console.log('tick'));
