import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A dead target of the failover drill: it takes the connection and never answers, the worst kind of
 * dead.
 */
export interface Blackhole {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only: the drill's dead target never leaves the machine. */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read and drop whatever comes, so the client's send never blocks
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
