// How long the simulator takes to serve a list of 5,000 pods, against how long a client needs to
// JSON.parse that body. Serving must stay well under parsing, so benchmarks of inc measure inc.
// Runs the built `inc sim --pods 5000` as a user would, and times full-list GETs over HTTP.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';

const PODS = Number(process.env.BENCH_PODS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const INC = fileURLToPath(new URL('../bin/inc.js', import.meta.url));

function startSim() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INC, 'sim', '--pods', String(PODS), '--speed', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inc sim did not get ready in 120 s\n${err}`));
    }, 120_000);
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /server=(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`inc sim exited with ${code}\n${err}`)));
  });
}

/** The raw body bytes: what the server sent, before any decoding (decoding is the client's work). */
function fetchRaw(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const started = performance.now();
const { child, url } = await startSim();
const readyMs = performance.now() - started;
try {
  const serve = [];
  const parse = [];
  let bytes = 0;
  let items = 0;
  for (let i = 0; i < RUNS + 2; i += 1) {
    const t0 = performance.now();
    const raw = await fetchRaw(`${url}/api/v1/pods`);
    const t1 = performance.now();
    const body = raw.toString('utf8');
    const list = JSON.parse(body);
    const t2 = performance.now();
    if (i < 2) continue; // warm-up
    serve.push(t1 - t0);
    parse.push(t2 - t1);
    bytes = body.length;
    items = list.items.length;
  }
  const serveMs = median(serve);
  const parseMs = median(parse);
  console.log(`inc sim --pods ${PODS}: ready in ${(readyMs / 1000).toFixed(1)} s`);
  console.log(`list of ${items} pods: ${(bytes / 1024 / 1024).toFixed(1)} MiB of JSON (median of ${RUNS})`);
  console.log(`  served (request to last byte): ${serveMs.toFixed(1)} ms`);
  console.log(`  decode + JSON.parse (client):  ${parseMs.toFixed(1)} ms`);
  console.log(`  serve / parse:                 ${(serveMs / parseMs).toFixed(2)}`);
  if (items < PODS) throw new Error(`expected at least ${PODS} pods, got ${items}`);
} finally {
  child.kill('SIGTERM');
}
