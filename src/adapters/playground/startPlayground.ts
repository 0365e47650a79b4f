import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../log/logger.ts';

export interface PlaygroundOptions {
  readonly port: number;
  readonly botEndpoint: string;
  readonly logger: Logger;
  /** Folder holding the .m365agentsplayground.yml whose people and team the demo uses. */
  readonly configDir?: string;
}

/**
 * The local demo's Teams stand-in: the Microsoft 365 Agents Playground (a devDependency), started
 * with no browser of its own and no telemetry. Only ever started when the bot has no identity.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<{ url: string; stop(): void } | undefined> {
  let cli: string;
  try {
    cli = join(dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  } catch {
    options.logger.warn('the Agents Playground is not installed (it is a development dependency); the bot runs without it');
    return undefined;
  }
  const child = spawn(process.execPath, [cli, '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port), '--dt'], {
    cwd: options.configDir ?? process.cwd(),
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: 'ignore',
  });
  child.on('exit', (code) => options.logger.info({ code }, 'agents playground stopped'));
  const url = `http://localhost:${options.port}`;
  options.logger.info({ url }, 'agents playground: open this in a browser to use the bot as a Teams user');
  return { url, stop: () => child.kill('SIGTERM') };
}
