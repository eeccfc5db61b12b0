// A generated cluster that stands still while it is measured: the kubelet gives the unhealthy pods their
// restarts, logs and events over a few simulated minutes, then the clock stops and the controllers stay
// idle, so every client is served the same objects at the same small cost. Bundled and run by the
// large-cluster benchmark: `node frozen-sim.mjs PODS KUBECONFIG`, ready when it prints its ready line.
import { createControllers } from '../src/sim/controllers/index.js';
import { SimClock, startSim } from '../src/sim/index.js';

const [pods, kubeconfigPath] = [Number(process.argv[2]), process.argv[3]];
let settling = true;
const controllers = createControllers().map((controller) => ({
  name: controller.name,
  reconcile: (state: Parameters<typeof controller.reconcile>[0]) => {
    if (settling) controller.reconcile(state);
  },
}));
const sim = await startSim({
  pods,
  kubeconfigPath,
  controllers,
  clock: new SimClock({ speed: 0, start: '2026-03-02T10:00:00Z' }),
});
for (let i = 0; i < 24; i++) sim.advance(5000, 5000);
settling = false;
// Nothing is created or deleted from now on, so the garbage collector's pass over every object is skipped too.
sim.store.collectGarbage = () => 0;
process.stdout.write(`inc-sim ready: kubeconfig=${sim.kubeconfigPath} server=${sim.url}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
