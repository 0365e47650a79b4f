// Runs the Microsoft 365 Agents Playground as a child process in its own process group, with its
// log in a temporary folder (never in the repository) and no browser or telemetry of its own.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Process
// ---------------------------------------------------------------------------------------------

export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** 0 (the default) picks a free port. A busy port also makes the playground pick a free one. */
  port?: number;
  /** A `.m365agentsplayground.yml`; without it the playground uses its built-in users and team. */
  configFile?: string;
  /** How long to wait for the playground to serve. Default 30 s. */
  startTimeoutMs?: number;
  /** Extra environment for the playground process. */
  env?: Record<string, string>;
  /** Keep the temp directory with the log after stop() (default: removed). */
  keepWorkDir?: boolean;
}

export interface Playground {
  /** The web client, e.g. http://localhost:56150 */
  url: string;
  /** The mock Bot Connector the bot replies to (activity.serviceUrl). */
  connectorUrl: string;
  port: number;
  pid: number;
  /** Temp directory holding the log (and ./devTools if anything writes there). */
  workDir: string;
  logFile: string;
  botEndpoint: string;
  /** Milliseconds from spawn until the playground answered /_debug/ping. */
  startupMs: number;
  /** Reads the playground log (its console output goes there, not to stdout). */
  readLog(): string;
  /** Kills the process group and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function playgroundCli(): string {
  const pkg = require.resolve('@microsoft/m365agentsplayground/package.json');
  return join(dirname(pkg), 'cli.js');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPlayground(options: StartPlaygroundOptions): Promise<Playground> {
  const workDir = mkdtempSync(join(tmpdir(), 'agents-playground-'));
  const logFile = join(workDir, 'm365agentsplayground.log');
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    BOT_ENDPOINT: options.botEndpoint,
    ...options.env,
  };
  // The playground reads M365_AGENTS_PLAYGROUND_CONFIG_PATH, else ./.m365agentsplayground.yml in its cwd.
  if (options.configFile) env['M365_AGENTS_PLAYGROUND_CONFIG_PATH'] = options.configFile;
  else delete env['M365_AGENTS_PLAYGROUND_CONFIG_PATH'];

  const args = [
    playgroundCli(),
    'start',
    '--app-endpoint',
    options.botEndpoint,
    '--channel-id',
    'msteams',
    '--port',
    String(options.port ?? 0),
    '--dt', // no telemetry
  ];
  // detached: the child leads its own process group, so stop() can kill everything it started.
  const child: ChildProcess = spawn(process.execPath, args, { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not spawn the Agents Playground');

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const onParentExit = (): void => killGroup(pid, 'SIGKILL');
  process.once('exit', onParentExit);

  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    output += d;
  });
  child.stderr?.on('data', (d: string) => {
    output += d;
  });

  const readLog = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onParentExit);
    if (!exited) {
      killGroup(pid, 'SIGTERM');
      await Promise.race([exitedPromise, sleep(5000)]);
      if (!exited) {
        killGroup(pid, 'SIGKILL');
        await Promise.race([exitedPromise, sleep(2000)]);
      }
    }
    // Anything else left in the group (the playground starts no children today, but be sure).
    killGroup(pid, 'SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  };

  const fail = async (why: string): Promise<never> => {
    const log = readLog().slice(-4000);
    await stop();
    throw new Error(`Agents Playground did not start: ${why}\n--- output ---\n${output}\n--- log ---\n${log}`);
  };

  // "Listening on <port>" is written to stdout when stdout is not a TTY; the routes are mounted
  // just after it, and a bad YAML makes the process exit(1) at that point.
  const deadline = started + (options.startTimeoutMs ?? 30_000);
  let port: number | undefined;
  while (port === undefined) {
    const m = /Listening on (\d+)/.exec(output);
    if (m?.[1]) port = Number(m[1]);
    else if (exited) return fail('the process exited before listening');
    else if (Date.now() > deadline) return fail('timed out waiting for "Listening on"');
    else await sleep(25);
  }
  // Poll /_debug/ping, not /_internal/v1/config: the config route first waits (up to 15 s) for the
  // bot endpoint to answer.
  const url = `http://localhost:${port}`;
  for (;;) {
    if (exited) return fail('the process exited (see the log: often the YAML failed validation)');
    if (Date.now() > deadline) return fail('timed out waiting for /_debug/ping');
    try {
      const res = await fetch(`${url}/_debug/ping`);
      if (res.ok) break;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  // Mounting happens synchronously after listen, so once ping answers a config error would
  // already have exited the process; give it one tick to be sure.
  await sleep(50);
  if (exited) return fail('the process exited right after starting (see the log)');

  return {
    url,
    connectorUrl: `${url}/_connector`,
    port,
    pid,
    workDir,
    logFile,
    botEndpoint: options.botEndpoint,
    startupMs: Date.now() - started,
    readLog,
    stop,
  };
}
