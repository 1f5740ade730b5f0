import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeResult } from '../../src/io/output.js';
import type { RunContext } from '../../src/domain/context.js';
import { FIXED_DAY, ROOT, runCli } from '../helpers/run.js';

// --out, --samples and --records can't destroy anything: devices, FIFOs and symlinks are written
// through or refused, never replaced; every path is checked before the work, and each error
// names its own flag.
const dir = mkdtempSync(join(tmpdir(), 'ai-route-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const cost = (out: string) => runCli(['cost', '--format', 'csv', '--out', out], { cwd: dir });

function fifo(name: string): string {
  const path = at(name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('targets that are not regular files', () => {
  it('/dev/null is written through and stays a device', async () => {
    const r = await cost('/dev/null');
    expect(r.code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('/dev/full is exit 2 with the reason, not a success', async () => {
    const r = await cost('/dev/full');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ai-route: --out /dev/full: cannot write /dev/full (ENOSPC: no space left on the device)\n',
    );
  });

  it('a symlink to a file is followed: the file gets the result, the link stays', async () => {
    writeFileSync(at('real.csv'), 'old');
    symlinkSync(at('real.csv'), at('link.csv'));
    const r = await cost(at('link.csv'));
    expect(r.code).toBe(0);
    expect(lstatSync(at('link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('real.csv'), 'utf8')).toMatch(/^stage,/);
  });

  it('a symlink to nothing is refused, and nothing is created where it points', async () => {
    symlinkSync(at('nowhere.csv'), at('dangling.csv'));
    const r = await cost(at('dangling.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out');
    expect(r.stderr).toContain('is a symlink to a file that does not exist');
    expect(existsSync(at('nowhere.csv'))).toBe(false);
    expect(readlinkSync(at('dangling.csv'))).toBe(at('nowhere.csv'));
  });

  it('a FIFO with a reader gets every byte, however large, and stays a FIFO', async () => {
    const path = fifo('pipe');
    const received = at('from-pipe.txt');
    const reader = spawn('sh', ['-c', `cat "${path}" > "${received}"`], { stdio: 'ignore' });
    const ended = new Promise((done) => reader.on('exit', done));
    const text = 'x'.repeat(2 * 1024 * 1024) + '\nend\n';
    // cat opens its end when the shell gets to it: until then the FIFO has no reader and is
    // refused, not waited on
    for (let tries = 0; ; tries++) {
      try {
        await writeResult(text, path, [], directContext());
        break;
      } catch (err) {
        if (!String(err).includes('a FIFO with no reader') || tries > 200) throw err;
        await new Promise((done) => setTimeout(done, 10));
      }
    }
    await ended;
    expect(readFileSync(received, 'utf8')).toBe(text);
    expect(statSync(path).isFIFO()).toBe(true);
  });

  it('a FIFO nobody reads is exit 2, not a hang', async () => {
    const path = fifo('lonely');
    const r = await cost(path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a FIFO with no reader');
    expect(statSync(path).isFIFO()).toBe(true);
  });

  it(
    'a folder, a path through a file, a file nobody may write, a 300-byte name: ' +
      'exit 2 with the reason',
    async () => {
      writeFileSync(at('plain.txt'), 'x');
      for (const [target, reason] of [
        [dir, 'is a folder'],
        [join(at('plain.txt'), 'x.csv'), 'is not a folder'],
        ['/proc/version', 'cannot write'],
        [at(`${'n'.repeat(300)}.csv`), 'the file name is longer than 255 bytes'],
        ['', 'an empty file name'],
      ] as const) {
        const r = await cost(target);
        expect(r.code, target).toBe(2);
        expect(r.stderr, target).toContain(`--out ${target}: `);
        expect(r.stderr, target).toContain(reason);
      }
      expect(readFileSync(at('plain.txt'), 'utf8')).toBe('x');
    },
  );

  it('/proc/self/fd/1 or a link to it, into a pipe or socket (the /dev/stdout idiom)', () => {
    const link = at('stdout-link');
    symlinkSync('/proc/self/fd/1', link);
    for (const out of ['/proc/self/fd/1', '/dev/stdout', link]) {
      // a real process whose stdout is a socket pair (node's pipe): no path opens it
      const stdout = execFileSync(
        process.execPath,
        [join(ROOT, 'bin/ai-route.cjs'), 'cost', '--format', 'csv', '--out', out],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(stdout, out).toMatch(/^stage,/);
    }
    // and a shell's pipe, a FIFO
    const piped = execFileSync(
      'sh',
      ['-c', `"${process.execPath}" bin/ai-route.cjs cost --format csv --out "${link}" | cat`],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(piped).toMatch(/^stage,/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a 250-byte name is written (its temp name is short); a 0444 file stays 0444', async () => {
    const long = at(`${'n'.repeat(246)}.csv`);
    expect((await cost(long)).code).toBe(0);
    expect(readFileSync(long, 'utf8')).toMatch(/^stage,/);
    const kept = at('kept-mode.csv');
    writeFileSync(kept, 'old');
    chmodSync(kept, 0o640);
    expect((await cost(kept)).code).toBe(0);
    expect(statSync(kept).mode & 0o777).toBe(0o640);
    expect(readFileSync(kept, 'utf8')).toMatch(/^stage,/);
    if (process.getuid?.() === 0) {
      // root may replace a read-only file; it stays read-only
      chmodSync(kept, 0o444);
      expect((await cost(kept)).code).toBe(0);
      expect(statSync(kept).mode & 0o777).toBe(0o444);
    }
  });

  it('--out DIR/ (no such folder) says it names a folder and makes nothing', async () => {
    for (const out of ['newdir/', 'deeper/newdir/']) {
      const r = await cost(out);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `ai-route: --out ${out}: names a folder (it ends with /); name a file in it, such as ` +
          `${out}report`,
      );
      expect(existsSync(at(out.split('/')[0]!))).toBe(false);
    }
    mkdirSync(at('existing'));
    const r = await cost('existing/');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out existing/: is a folder');
  });

  it('missing folders are made; an input of the run is never replaced', async () => {
    const r = await cost(at('a/b/c/report.csv'));
    expect(r.code).toBe(0);
    expect(readFileSync(at('a/b/c/report.csv'), 'utf8')).toMatch(/^stage,/);
    copyFileSync(join(ROOT, 'pricing/global-api.yaml'), at('prices.yaml'));
    const before = readFileSync(at('prices.yaml'), 'utf8');
    const again = await runCli(['cost', '--pricing', 'prices.yaml', '--out', 'prices.yaml'], {
      cwd: dir,
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('that file is an input of this run');
    expect(readFileSync(at('prices.yaml'), 'utf8')).toBe(before);
  });
});

describe('every output path is checked before any work, naming its own flag', () => {
  it('probe: a bad --samples or --out is exit 2 before a single request', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(500).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      mkdirSync(at('folder-target'), { recursive: true });
      for (const flag of ['--samples', '--out']) {
        const r = await runCli(
          [
            'probe',
            '--base-url',
            url,
            '--model',
            'm',
            '--requests',
            '3',
            flag,
            at('plain.txt/x.ndjson'),
          ],
          { cwd: dir, env: { AI_ROUTE_API_KEY: 'k' } },
        );
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^ai-route: ${flag} .*is not a folder`));
        const long = await runCli(
          ['probe', '--base-url', url, '--model', 'm', flag, at(`${'s'.repeat(256)}`)],
          { cwd: dir, env: { AI_ROUTE_API_KEY: 'k' } },
        );
        expect(long.code).toBe(2);
        expect(long.stderr).toContain(`ai-route: ${flag} `);
      }
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('mock: a bad --records is exit 2 before it listens', async () => {
    writeFileSync(at('plain.txt'), 'x');
    const r = await runCli(['mock', '--records', at('plain.txt/records.ndjson')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ai-route: --records .*is not a folder/);
  });

  it('decide and pricing: the same check on --out', async () => {
    for (const argv of [
      ['decide', '--preset', 'startup', '--out', at(`${'d'.repeat(300)}.md`)],
      ['pricing', 'list', '--out', at(`${'p'.repeat(300)}.csv`)],
      [
        'pricing',
        'import',
        '--from',
        'litellm',
        join(ROOT, 'test/fixtures/import/litellm-sample.json'),
        '--out',
        at(`${'i'.repeat(300)}.json`),
      ],
    ]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('--out');
      expect(r.stderr).toContain('longer than 255 bytes');
    }
  });
});

/** A RunContext for calling writeResult directly (the FIFO test starts its reader first). */
function directContext(): RunContext {
  return {
    cwd: dir,
    env: {},
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    stdinIsTTY: false,
    now: () => FIXED_DAY,
    interrupted: new AbortController().signal,
  };
}
