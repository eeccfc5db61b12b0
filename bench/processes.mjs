// What the benchmarks share: running a command with its wall time, the simulator and Prometheus as child
// processes, and the median. Plain JS, as the benchmarks run without a build of the tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `node --import USAGE_PROBE …` prints the process's peak RSS (KB) and CPU (µs, user + system) to stderr as it exits. */
export const USAGE_PROBE =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\ninc-bench-usage="+u.maxRSS+","+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

/** What USAGE_PROBE printed: peak RSS (MB) and CPU time (ms); zeros when it printed nothing. */
export function usageOf(stderr) {
  const usage = /inc-bench-usage=(\d+),(\d+)/.exec(stderr);
  return { rss: Number(usage?.[1] ?? 0) / 1024, cpu: Number(usage?.[2] ?? 0) / 1000 };
}

/** CPU time (ms) the processes used so far, from /proc; undefined where there is no /proc. */
export function cpuOf(pids) {
  try {
    const ticks = pids.reduce((sum, pid) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + Number(fields[11]) + Number(fields[12]);
    }, 0);
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Runs a command to its end; resolves with its wall time (ms), stdout length and stderr; rejects on failure. */
export function run(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = 0;
    let text = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk.length;
      if (text.length < 4_000_000) text += chunk;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 400)}`));
      else resolve({ ms, stdout, text, stderr });
    });
  });
}

/** `inc sim` with extra arguments, until its ready line; resolves with the child, kubeconfig and scrape URL. */
export function startSim(inc, env, args) {
  return new Promise((resolve, reject) => {
    const kubeconfig = join(env.HOME, 'kubeconfig');
    const child = spawn(process.execPath, [inc, 'sim', ...args, '--kubeconfig', kubeconfig], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 120 s')), 120_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('inc-sim ready:')) {
        clearTimeout(timer);
        resolve({ child, kubeconfig, metricsUrl: /metrics=(\S+)/.exec(out)?.[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
}

/**
 * Prometheus scraping `url` every `intervalSeconds`, with a fresh TSDB in a temp folder; resolves once
 * it answers /-/ready with its URL, pid and a `stop` that ends it and removes the folder.
 */
export function startPrometheus(binary, url, intervalSeconds) {
  const dir = mkdtempSync(join(tmpdir(), 'inc-bench-prometheus-'));
  const target = new URL(url);
  const interval = `${intervalSeconds}s`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      scrape_configs: [
        {
          job_name: 'inc-sim',
          honor_labels: true,
          metrics_path: target.pathname,
          static_configs: [{ targets: [target.host] }],
        },
      ],
    }),
  );
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Prometheus did not start within 30 s\n${log.slice(-1000)}`));
    }, 30_000);
    child.stderr.setEncoding('utf8').on('data', async (chunk) => {
      const before = log;
      log += chunk;
      const port = /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      if (!port || /msg="Listening on" address=127\.0\.0\.1:(\d+)/.test(before)) return;
      const prometheus = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 200; i += 1) {
        const ready = await fetch(`${prometheus}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
          (res) => res.ok,
          () => false,
        );
        if (ready) {
          clearTimeout(timer);
          resolve({ url: prometheus, pid: child.pid, stop });
          return;
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    });
    child.on('exit', (code) => reject(new Error(`Prometheus exited (${code})\n${log.slice(-1000)}`)));
  });
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
