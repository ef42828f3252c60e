/**
 * Runs the real server (src/runtime/node.ts) as a child process, as `npm start` would, or by
 * `npm start` itself (its prestart step included) for the tests of what an operator types.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './eventually.ts';

const root = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>;
  kill(signal: NodeJS.Signals): Promise<number | string | null>;
}

export interface StartOptions {
  /**
   * Start with `npm start` in the project's folder, as the README says, instead of node directly.
   * npm runs the server in a process group of its own, which `kill` signals as a whole.
   */
  npmStart?: boolean;
}

export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  options: StartOptions = {},
): Promise<ServerProcess> {
  const childEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(options.npmStart ? { npm_config_update_notifier: 'false' } : {}),
    ...env,
  };
  const child = options.npmStart
    ? spawn('npm', ['start'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, ['--import', 'tsx', join(root, 'src/runtime/node.ts')], {
        cwd: root,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  const logs: string[] = [];
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const listening = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), timeoutMs);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"server.listening"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { host: string; port: number });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${logs.join('\n')}`));
    });
  });
  const group = options.npmStart ? child.pid : undefined;
  return {
    url: `http://${reachable(listening.host)}:${listening.port}`,
    child,
    logs,
    exited,
    async kill(signal) {
      if (group === undefined) {
        child.kill(signal);
        return exited;
      }
      signalGroup(group, signal);
      const code = await exited;
      // npm may end before the server under it has closed its database: wait for the whole group.
      await eventually(() => !signalGroup(group, 0), 'the processes under npm start to end');
      return code;
    },
  };
}

/** Signals every process of a group; false once none is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** An address to reach a server listening on `host`: this machine's loopback for the wildcards. */
function reachable(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
