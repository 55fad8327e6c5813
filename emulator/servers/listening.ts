import type { Server as NetServer } from 'node:net';

/** A listener the emulator opened: its port (the one asked for, or the free one picked for 0) and how to close it. */
export interface ListeningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `host:port`; rejects with the listen error (EADDRINUSE, EACCES...) rather than emitting it. */
export async function listen(server: NetServer, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
