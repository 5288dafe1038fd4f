/**
 * Debian's PgBouncer in transaction mode, started in front of a PostgreSQL server for tests: every
 * database of that server is reachable through it (`*`), connections shared per transaction.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports';

export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

export type RunningPgBouncer = {
  /** `server`'s URL with PgBouncer's port: the same database, through the pooler. */
  through: (server: string) => string;
  stop: () => void;
};

export async function startPgBouncer(server: string): Promise<RunningPgBouncer> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed');
  const target = new URL(server);
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-pgbouncer-'));
  writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    `[databases]
* = host=${target.hostname} port=${target.port || 5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(dir, 'users.txt')}
pool_mode = transaction
default_pool_size = 8
max_client_conn = 400
query_timeout = 60
`,
  );
  writeFileSync(path.join(dir, 'users.txt'), `"${target.username || 'postgres'}" ""\n`);
  // PgBouncer will not run as root.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const ini = path.join(dir, 'pgbouncer.ini');
  const bouncer = spawn(
    asRoot ? 'runuser' : PGBOUNCER,
    asRoot ? ['-u', 'postgres', '--', PGBOUNCER, ini] : [ini],
    { stdio: 'ignore' },
  );
  const through = (url: string) => {
    const pooled = new URL(url);
    pooled.hostname = '127.0.0.1';
    pooled.port = String(port);
    return pooled.toString();
  };
  // Up once it answers a query on the server's own database.
  const probe = postgres(through(server), { max: 1, prepare: false, onnotice: () => {} });
  for (let tries = 0; ; tries++) {
    try {
      await probe`SELECT 1`;
      break;
    } catch (error) {
      if (tries > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await probe.end();
  return {
    through,
    stop: () => {
      bouncer.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
