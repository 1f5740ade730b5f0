// Preload for third-party servers in tests: every listen() without a host binds 127.0.0.1 only,
// so a test never opens a port beyond loopback (the Portkey gateway otherwise binds all
// interfaces).
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'object' && args[0] !== null && args[0].host === undefined)
    args[0] = { ...args[0], host: '127.0.0.1' };
  else if (typeof args[0] === 'number' && typeof args[1] !== 'string')
    args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
