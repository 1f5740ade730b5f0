// npm run bench -- usage: `usage summary` on 300,000 OTLP spans (the collector's file exporter
// format: one ExportTraceServiceRequest of 100 spans per line, int64 as strings) against a bare
// reader that only splits the lines and JSON.parses them, measured in the same run, interleaved.
// Goals: at most 2x the bare reader's time, under 300 MB of memory (peak RSS).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'ai-route.cjs');

const SPANS = 300_000;
const PER_LINE = 100;
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4-20250514', 'gemini-2.5-pro'];
const PROVIDERS = ['openai', 'openai', 'anthropic', 'gcp.gemini'];

function attribute(key, value) {
  return typeof value === 'number'
    ? { key, value: { intValue: String(value) } }
    : { key, value: { stringValue: value } };
}

/** Writes the spans, 30 days of them, and returns the file. */
async function writeSpans(dir) {
  const file = join(dir, 'spans.jsonl');
  const out = createWriteStream(file);
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let line = 0; line < SPANS / PER_LINE; line++) {
    const spans = [];
    for (let i = 0; i < PER_LINE; i++) {
      const n = line * PER_LINE + i;
      const m = n % MODELS.length;
      const t = BigInt(start + Math.floor((n / SPANS) * 30 * 86_400_000)) * 1_000_000n;
      spans.push({
        traceId: n.toString(16).padStart(32, '0'),
        spanId: n.toString(16).padStart(16, '0'),
        name: `chat ${MODELS[m]}`,
        kind: 3,
        startTimeUnixNano: String(t),
        endTimeUnixNano: String(t + 800_000_000n),
        attributes: [
          attribute('gen_ai.operation.name', 'chat'),
          attribute('gen_ai.provider.name', PROVIDERS[m]),
          attribute('gen_ai.request.model', MODELS[m]),
          attribute('gen_ai.usage.input_tokens', 500 + (n % 1500)),
          attribute('gen_ai.usage.cache_read.input_tokens', n % 200),
          attribute('gen_ai.usage.output_tokens', 100 + (n % 400)),
        ],
        status: {},
      });
    }
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [attribute('service.name', 'bench')] },
          scopeSpans: [{ scope: { name: 'bench' }, spans }],
        },
      ],
    };
    if (!out.write(`${JSON.stringify(request)}\n`))
      await new Promise((done) => out.once('drain', done));
  }
  await new Promise((done) => out.end(done));
  return file;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One run: wall time and peak RSS, reported by the child itself at exit. */
function run(argv, rss) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, {
    env: { ...process.env, NODE_OPTIONS: `--require ${rss}` },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const kb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, mb: kb / 1024 };
}

export async function usageBench(rounds = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'ai-route-usage-bench-'));
  try {
    const spans = await writeSpans(dir);
    const rss = join(dir, 'rss.cjs');
    writeFileSync(
      rss,
      "process.on('exit', () => require('fs').writeSync(2, " +
        '`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`));\n',
    );
    const bare = join(dir, 'bare.mjs');
    writeFileSync(
      bare,
      "import { createReadStream } from 'node:fs';\n" +
        "import { createInterface } from 'node:readline';\n" +
        'let n = 0;\n' +
        'const input = createReadStream(process.argv[2]);\n' +
        'for await (const line of createInterface({ input }))\n' +
        '  if (line !== "") n += JSON.parse(line).resourceSpans.length;\n' +
        'console.log(n);\n',
    );
    const cases = [
      { name: 'bare reader (split lines, JSON.parse)', argv: [bare, spans] },
      {
        name: 'usage summary --format json',
        argv: [bin, 'usage', 'summary', spans, '--pricing', 'litellm', '--format', 'json'],
      },
    ];
    const samples = cases.map(() => []);
    for (let r = 0; r < rounds; r++) cases.forEach((c, i) => samples[i].push(run(c.argv, rss)));
    console.log(
      `\nUsage: ${SPANS.toLocaleString('en')} OTLP spans (${SPANS / PER_LINE} JSON lines), ` +
        `median of ${rounds} interleaved runs`,
    );
    const ref = median(samples[0].map((s) => s.ms));
    cases.forEach((c, i) => {
      const ms = median(samples[i].map((s) => s.ms));
      const mb = Math.max(...samples[i].map((s) => s.mb));
      const goal =
        i === 0
          ? ''
          : `   goal <= 2x: ${ms / ref <= 2 ? 'met' : 'NOT met'}; < 300 MB: ` +
            `${mb < 300 ? 'met' : 'NOT met'}`;
      console.log(
        `  ${c.name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms ${(ms / ref).toFixed(2)}x ` +
          `${mb.toFixed(0).padStart(4)} MB peak${goal}`,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
