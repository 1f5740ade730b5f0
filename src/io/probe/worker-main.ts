import { parentPort, workerData } from 'node:worker_threads';
import { secretRedactor } from '../../core/redact.js';
import type { ProbePlan } from '../../domain/probe.js';
import { runProbe } from './runner.js';
import { createTransport } from './transport.js';
import type { FromWorker, ToWorker, WorkerClient } from './workers.js';

/**
 * A probe worker thread: its own client and event loop for its part of the plan. It says when it
 * is ready, starts on `go`, reports progress, stops sending on `stop` and sends back its run.
 */
export async function probeWorker(): Promise<void> {
  const port = parentPort!;
  const { plan, client } = workerData as { plan: ProbePlan; client: WorkerClient };
  const say = (m: FromWorker) => port.postMessage(m);
  const interrupted = new AbortController();
  let go!: () => void;
  const started = new Promise<void>((resolve) => (go = resolve));
  port.on('message', (m: ToWorker) => {
    if (m.type === 'go') go();
    else interrupted.abort('SIGINT');
  });
  try {
    const redact = secretRedactor(client.secrets);
    const transport = createTransport({ apiKey: client.apiKey, headers: client.headers, redact });
    say({ type: 'ready', time_origin: performance.timeOrigin });
    await started;
    const run = await runProbe(plan, transport, interrupted.signal, (label, done, _t, failed) =>
      say({ type: 'progress', label, done, failed }),
    );
    say({ type: 'done', run });
  } catch (err) {
    say({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  port.close();
}
