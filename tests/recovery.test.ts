import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import type { DatabaseHandle } from '@/db/types';
import { DATABASE_TIMEOUT, DATABASE_UNAVAILABLE, DatabaseUnavailableError } from '@/db/errors';
import { queryRows } from '@/db/sql';

/** A TCP proxy to PostgreSQL that can be cut and restored, like a server restart. */
class Proxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }
}

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('recovering from a lost PostgreSQL server without a restart', () => {
  let proxy: Proxy;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const target = new URL(url!);
    proxy = new Proxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const through = new URL(url!);
    through.port = String(proxy.port);
    handle = await openDatabase({ kind: 'postgres', url: through.toString(), poolMax: 2 });
  });
  afterAll(async () => {
    await handle?.close();
    await proxy?.cut();
  });

  it('fails fast with the database error while the server is gone, then works again', async () => {
    const ask = () => queryRows<{ one: number }>(handle.db, sql`SELECT 1 AS one`);
    expect(await ask()).toEqual([{ one: 1 }]);

    await proxy.cut();
    const error = await ask().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).digest).toBe(DATABASE_UNAVAILABLE);

    await proxy.start(proxy.port);
    // The same pool reconnects on its own.
    expect(await ask()).toEqual([{ one: 1 }]);
  });
});

describe.skipIf(!url)('a statement timeout keeps slow queries from piling up', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({
      kind: 'postgres',
      url: url!,
      poolMax: 2,
      statementTimeoutMs: 200,
    });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('cancels a statement past the limit with the timeout error, and the pool goes on', async () => {
    const error = await queryRows(handle.db, sql`SELECT pg_sleep(3)`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).digest).toBe(DATABASE_TIMEOUT);
    const [row] = await queryRows<{ ok: number }>(handle.db, sql`SELECT 1 AS ok`);
    expect(row?.ok).toBe(1);
  });
});
