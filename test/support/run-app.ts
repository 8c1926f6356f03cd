import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface RunningApp {
  child: ChildProcess;
  base: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

/**
 * Starts a fixture app in a child process with the project's Node and the given
 * preload flag, and waits for its `LISTENING <port>` line.
 */
export async function runApp(args: string[], env: Record<string, string>, cwd: string = FIXTURES): Promise<RunningApp> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${out}\n${err}`)), 15_000);
    const check = () => {
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`app exited before listening:\n${out}\n${err}`));
    });
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
    exited,
  };
}
