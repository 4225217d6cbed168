import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../infra/local/dynamodb.ts';

export interface StartedServer {
  url: string;
  dynamoEndpoint: string;
  output: () => string;
  /** Sends SIGINT, as Ctrl-C would, and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Runs `npm start` exactly as a user would, and waits for its banner. */
export const npmStart = async (
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<StartedServer> => {
  const port = await freePort();
  const child: ChildProcess = spawn('npm', ['start', '--silent', '--', ...(options.args ?? [])], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'SILENT', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() can signal the whole group the way a terminal's Ctrl-C does.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/DynamoDB:\s+(\S+),/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      process.kill(-(child.pid as number), 'SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const dynamoEndpoint = /DynamoDB:\s+(\S+),/.exec(output)?.[1] ?? '';
  return {
    url: `http://127.0.0.1:${port}`,
    dynamoEndpoint,
    output: () => output,
    stop: async () => {
      process.kill(-(child.pid as number), 'SIGINT');
      return exited;
    },
  };
};
