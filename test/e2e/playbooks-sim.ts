import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { type RunningSim, type SimFaults, startSim } from '../../src/sim/index.js';
import { KUBECTL } from '../helpers/binaries.js';
import { type RunIncResult, runInc } from '../helpers/run-inc.js';

/** Raw JSON of the simulator's objects and of logged events, read by path in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read raw JSON by path; a wrong path fails the test
export type RawJson = Record<string, any>;

/** A request inc sent; `actingAs`: the impersonated user and groups, when it impersonated. */
export interface SentRequest {
  method: string;
  path: string;
  actingAs?: string;
}

/** A simulator plus a private INC_HOME and config folder, for one e2e test. */
export interface SimWorld {
  sim: RunningSim;
  home: string;
  /** Every request inc sent (through a recording proxy in front of the simulator). */
  requests: SentRequest[];
  env: Record<string, string>;
  inc(args: readonly string[], extraEnv?: Record<string, string>): Promise<RunIncResult>;
  kubectl(args: readonly string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
  /** The object as stored in the simulator (raw JSON). */
  object(kind: string, namespace: string | undefined, name: string): RawJson;
  close(): Promise<void>;
}

/** `speed`: simulated ms per real ms (60: a 10-minute progress deadline passes in 10 s). */
export async function openSimWorld(scenario: string, speed = 60, faults?: SimFaults): Promise<SimWorld> {
  const sim = await startSim({ scenario, speed, faults });
  const home = mkdtempSync(join(tmpdir(), 'inc-playbooks-'));
  const requests: SentRequest[] = [];
  const proxy = await startRecordingProxy(sim.url, requests);
  const proxyKubeconfig = join(home, 'kubeconfig');
  writeFileSync(proxyKubeconfig, readFileSync(sim.kubeconfigPath, 'utf8').replace(sim.url, proxy.url), { mode: 0o600 });
  const env = {
    KUBECONFIG: proxyKubeconfig,
    INC_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    INC_ACTOR: 'oncall',
  };
  return {
    sim,
    home,
    requests,
    env,
    inc: (args, extraEnv = {}) => runInc(args, { env: { ...env, ...extraEnv }, cwd: home, timeoutMs: 45_000 }),
    kubectl: async (args) => {
      const result = await execa(KUBECTL, ['--kubeconfig', sim.kubeconfigPath, ...args], {
        reject: false,
        timeout: 30_000,
      });
      return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    object: (kind, namespace, name) => {
      const found = sim.state.get(kind, namespace, name);
      if (!found) throw new Error(`${kind} ${namespace}/${name} not found in the simulator`);
      return JSON.parse(JSON.stringify(found));
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        proxy.server.close(() => resolve());
        proxy.server.closeAllConnections();
      });
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * What people and inc change (labels, annotations, spec, Argo CD operations), per object; the
 * status the controllers keep updating (node heartbeats, pod counts) is left out.
 */
export function desiredState(sim: RunningSim): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Application', 'Node', 'Secret']) {
    for (const object of sim.state.list(kind)) {
      const { labels, annotations } = object.metadata;
      const view = { labels, annotations, spec: object.spec, operation: object.operation, data: object.data };
      out.set(`${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, JSON.stringify(view));
    }
  }
  return out;
}

/** Pins the deployment's template for comparison: the revision annotations and the pod template. */
export function templateOf(deployment: RawJson) {
  return {
    template: deployment.spec.template,
    revision: deployment.metadata.annotations?.['deployment.kubernetes.io/revision'],
    changeCause: deployment.metadata.annotations?.['kubernetes.io/change-cause'],
  };
}

/** Requests that could change something (dry runs included): anything but GET. */
export function writes(requests: readonly { method: string; path: string }[]) {
  return requests.filter((r) => r.method !== 'GET');
}

/** A pass-through HTTP proxy that records each request's method and path. */
async function startRecordingProxy(target: string, log: SentRequest[]): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const user = req.headersDistinct['impersonate-user']?.[0];
    const groups = req.headersDistinct['impersonate-group'] ?? [];
    log.push({
      method: req.method ?? 'GET',
      path: req.url ?? '',
      ...(user && { actingAs: [user, ...groups].join(' ') }),
    });
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Asserts the exit code, showing stderr when it differs (the one line that explains a failure). */
export function expectExit(result: RunIncResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`expected exit ${code}, got ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** A git repository under `home` whose HEAD~1 holds `first` at `file` and HEAD holds `second`. */
export function makeTwoCommitRepo(home: string, file: string, first: string, second: string): string {
  const repo = join(home, 'deploy');
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      stdio: 'pipe',
    });
  git('init', '-q');
  writeFileSync(join(repo, file), first);
  git('add', '.');
  git('commit', '-qm', 'the good version');
  writeFileSync(join(repo, file), second);
  git('commit', '-qam', 'the bad version');
  return repo;
}

/** The data of the action events of the world's one incident, in log order. */
export function actionEvents(w: SimWorld): RawJson[] {
  const dir = join(w.env.INC_HOME as string, 'incidents');
  const [incident] = readdirSync(dir);
  return readFileSync(join(dir, incident as string, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RawJson)
    .filter((e) => e.type === 'action')
    .map((e) => e.data);
}
