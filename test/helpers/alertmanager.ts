import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALERTMANAGER, AMTOOL } from './binaries.js';
import { type LocalServer, startLocalServer } from './local-server.js';

const run = promisify(execFile);

export interface RunningAlertmanager extends LocalServer {
  /** Runs the real amtool against this Alertmanager (`--alertmanager.url` added). */
  amtool(args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Posts alerts as Prometheus would (POST /api/v2/alerts, `postableAlerts`). */
  postAlerts(alerts: readonly PostedAlert[]): Promise<void>;
}

export interface PostedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** A configuration that routes every alert to a receiver that sends nothing. */
const QUIET_CONFIG = JSON.stringify({ route: { receiver: 'quiet' }, receivers: [{ name: 'quiet' }] });

/**
 * Starts Debian's Alertmanager on a free 127.0.0.1 port, without clustering, with its data in a
 * temp folder, and waits until it is ready.
 */
export async function startAlertmanager(options: { readyTimeoutMs?: number } = {}): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'inc-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, QUIET_CONFIG);
  const server = await startLocalServer({
    name: 'Alertmanager',
    binary: ALERTMANAGER,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--cluster.listen-address=',
    ],
    dir,
    readyTimeoutMs: options.readyTimeoutMs,
  });
  return {
    ...server,
    amtool: (args) => run(AMTOOL, [`--alertmanager.url=${server.url}`, ...args], { timeout: 20_000 }),
    postAlerts: async (alerts) => {
      const response = await fetch(`${server.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
    },
  };
}
