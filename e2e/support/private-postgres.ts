/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so that a
 * test may stop and start it without disturbing the server the other tests use. Runs the
 * installed PostgreSQL binaries; as root it runs them as the `postgres` user, since PostgreSQL
 * refuses to run as root.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type PrivatePostgres = {
  port: number;
  url: (database: string) => string;
  /** Stops at once, as a crash would (no checkpoint; recovery replays the log on start). */
  stop: () => void;
  start: () => void;
  destroy: () => void;
  /**
   * A streaming replica of this server on `port` (pg_basebackup -R: a hot standby that follows
   * it), stopped, started and destroyed on its own.
   */
  replicate: (port: number) => PrivatePostgres;
};

function binaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/** Why a private server cannot be run here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (!binaries()) return 'no PostgreSQL binaries under /usr/lib/postgresql/<version>/bin';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
      execFileSync('runuser', ['--help'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user and runuser to run PostgreSQL as';
    }
  }
  return null;
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  return privateServer(port, (run, data) =>
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']),
  );
}

type Run = (tool: string, args: string[]) => void;

/** A server in a folder of its own: `create` fills its data directory, then it is started. */
function privateServer(port: number, create: (run: Run, data: string) => void): PrivatePostgres {
  const bin = binaries();
  if (!bin) throw new Error('no PostgreSQL binaries');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'pl-restart-'));
  const data = path.join(dir, 'data');
  const run: Run = (tool, args) => {
    const command = path.join(bin, tool);
    if (asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  create(run, data);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
    replicate: (replicaPort) =>
      privateServer(replicaPort, (runReplica, replicaData) =>
        runReplica('pg_basebackup', [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-D',
          replicaData,
          '-R',
          '-X',
          'stream',
          // An immediate checkpoint: a spread one waits minutes on an idle server.
          '--checkpoint=fast',
          '--no-sync',
        ]),
      ),
  };
}
