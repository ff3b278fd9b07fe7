import { ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const HOST_MAIN = join(ROOT, 'test', 'package-host', 'main.js');
const run = promisify(execFile);

interface PackageJson {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * npm passes its settings to the scripts it runs as `npm_*` variables (the project's folder among them): an npm
 * started inside `npm test` would read them and act on this repository instead of the folder it is given.
 */
function npmFreeEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

export function npm(args: string[], cwd: string): Promise<{ stdout: string }> {
  return run('npm', args, { cwd, env: npmFreeEnv(), maxBuffer: 64 * 1024 * 1024 });
}

export interface PackedTarball {
  path: string;
  files: string[];
}

/** `npm pack` as a publish would run it (its `prepack` builds dist/ afresh); the tarball lands in `into`. */
export async function packThisPackage(into: string): Promise<PackedTarball> {
  const { stdout } = await npm(['pack', '--json', '--pack-destination', into], ROOT);
  // The build's own output comes first; the JSON report is the last thing printed.
  const [packed] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { path: join(into, packed.filename), files: packed.files.map((file) => file.path) };
}

/** What this repository's lockfile installed: the host gets the peers the tests here ran against. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  return lock.packages[`node_modules/${name}`].version;
}

/**
 * A host project that is not this repository: its own package.json lists the package's required peers, mysql2 (the
 * optional peer for its MariaDB) and the tarball, and nothing else; `npm install` fills its node_modules.
 */
export async function installHostProject(dir: string, tarball: string): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const optional = pkg.peerDependenciesMeta ?? {};
  const peers = [...Object.keys(pkg.peerDependencies).filter((name) => !optional[name]?.optional), 'mysql2'];
  const dependencies = Object.fromEntries([
    ...peers.map((name) => [name, lockedVersion(name)]),
    [pkg.name, `file:${tarball}`],
  ]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'billing-host', private: true, dependencies }));
  copyFileSync(HOST_MAIN, join(dir, 'main.js'));
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
}

export interface RunningHost {
  url: string;
  stop: () => Promise<void>;
}

/** Starts the host's main.js with `node`, as its owner would, and waits for the port it prints. */
export async function startHost(dir: string, env: Record<string, string>): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, ['main.js'], {
    cwd: dir,
    env: { ...npmFreeEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(match[1]);
    });
    child.on('error', reject);
    void closed.then((code) => reject(new Error(`the host exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await closed;
    },
  };
}
