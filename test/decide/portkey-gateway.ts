import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { mockFromYaml } from '../helpers/mock.js';
import { ROOT } from '../helpers/run.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Runs the real Portkey gateway (npm @portkey-ai/gateway) on 127.0.0.1 with `config`, its
 * default tier's first target pointed at a mock that fails every request and its second at a
 * healthy one, and checks that a request is served by the second.
 */
export async function gatewayFallback(config: any): Promise<void> {
  const failing = await mockFromYaml(
    'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
      '2}\n  per_token: {dist: constant, ms: 1}\n  output_tokens: 3\n  faults: ' +
      '[{kind: server_error, status: 503, probability: 1}]\n',
  );
  const healthy = await mockFromYaml(
    'schema: ai-route/mock-profile@1\ndefaults:\n  ttft: {dist: constant, ms: ' +
      '2}\n  per_token: {dist: constant, ms: 1}\n  output_tokens: 3\n',
  );
  const port = await freePort();
  const gateway = spawn(
    process.execPath,
    [
      '--require',
      join(ROOT, 'test/helpers/loopback.cjs'),
      join(ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
      `--port=${port}`,
      '--headless',
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  gateway.stdout.on('data', (d) => (log += d));
  gateway.stderr.on('data', (d) => (log += d));
  const killer = setTimeout(() => gateway.kill('SIGKILL'), 60_000);
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await fetch(base)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the gateway did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const defaultTier = config.targets.find((t: any) => t.name === config.strategy.default);
    defaultTier.targets[0].custom_host = failing.url;
    defaultTier.targets[1].custom_host = healthy.url;
    const client = new OpenAI({
      apiKey: 'test-key-not-secret',
      baseURL: `${base}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-portkey-config': JSON.stringify(config) },
    });
    const { data, response } = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('tok1 tok2 tok3 ');
    // the first target failed (retried as configured), the second served the request
    expect(failing.records.length).toBeGreaterThanOrEqual(1);
    expect(failing.records.every((r) => r.status === 503)).toBe(true);
    expect(healthy.records).toHaveLength(1);
    expect(healthy.records[0]).toMatchObject({
      model: 'Qwen/Qwen3-32B',
      status: 200,
      authorized: true,
    });
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe(
      'config.targets[0].targets[1]',
    );
  } finally {
    clearTimeout(killer);
    gateway.kill('SIGTERM');
    await failing.close();
    await healthy.close();
  }
}
