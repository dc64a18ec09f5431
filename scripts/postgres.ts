// A throwaway PostgreSQL cluster for tests and benches, from the machine's Debian packages
// (`.ci/run` installs `postgresql` when it is missing).
//
//   node scripts/postgres.ts <command…>   starts a cluster, runs the command with
//                                         NAPARNIK_TEST_DATABASE_URL set, stops the cluster
//
// The cluster lives in a fresh temporary directory, listens on 127.0.0.1 only, on a free port,
// and runs as an unprivileged user (PostgreSQL refuses to run as root: as root, `nobody`).
// Without PostgreSQL binaries the command runs without the variable, and the suites that need
// PostgreSQL print why they are skipped.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_DATABASE_URL_VARIABLE = 'NAPARNIK_TEST_DATABASE_URL';

export interface RunningPostgres {
  url: string;
  stop(): void;
}

/** The newest installed major version's server binaries, from Debian's layout. */
export function findPostgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/u.test(name) && existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((left, right) => Number(right) - Number(left));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The uid/gid to run the server as: ours, or `nobody` when we are root. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgres(): Promise<RunningPostgres> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-pg-'));
  const dataDirectory = path.join(directory, 'data');
  const identity = serverIdentity();
  if (identity) chownSync(directory, identity.uid, identity.gid);
  const run = (binary: string, args: string[]) => {
    const result = spawnSync(path.join(binaries, binary), args, {
      cwd: directory,
      encoding: 'utf8',
      ...(identity ?? {}),
    });
    if (result.status !== 0) {
      throw new Error(`${binary} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
  };
  const port = await freePort();
  const passwordFile = path.join(directory, 'password');
  writeFileSync(passwordFile, 'naparnik\n');
  if (identity) chownSync(passwordFile, identity.uid, identity.gid);
  run('initdb', [
    '-D',
    dataDirectory,
    '-U',
    'naparnik',
    '--pwfile',
    passwordFile,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  // Durability is worth nothing in a cluster thrown away after the run; speed is.
  run('pg_ctl', [
    '-D',
    dataDirectory,
    '-l',
    path.join(directory, 'server.log'),
    '-w',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  let stopped = false;
  return {
    url: `postgres://naparnik:naparnik@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write('usage: node scripts/postgres.ts <command…>\n');
    process.exit(2);
  }
  let postgres: RunningPostgres | undefined;
  if (findPostgresBinaries()) {
    postgres = await startPostgres();
    process.stderr.write(`PostgreSQL for the tests at ${postgres.url.replace(/:[^:@]*@/u, ':***@')}\n`);
  } else {
    process.stderr.write(
      'PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL suites will be skipped\n',
    );
  }
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ...(postgres ? { [TEST_DATABASE_URL_VARIABLE]: postgres.url } : {}) },
  });
  const stop = () => postgres?.stop();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}
