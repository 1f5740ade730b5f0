// npm test: the parallel pass, then the serial (timed) pass, always both, whatever the first
// did; exits with the first failing pass's code and names it, so no failure hides another.
import { spawnSync } from 'node:child_process';

const passes = [
  { name: 'parallel pass (vitest.config.ts)', args: ['run'] },
  {
    name: 'serial pass (vitest.accuracy.config.ts)',
    args: ['run', '--config', 'vitest.accuracy.config.ts'],
  },
];
const extra = process.argv.slice(2);
let first;
for (const pass of passes) {
  const r = spawnSync('npx', ['vitest', ...pass.args, ...extra], { stdio: 'inherit' });
  const code = r.status ?? 1;
  console.log(`npm test: ${pass.name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
  if (code !== 0 && first === undefined) first = { ...pass, code };
}
if (first !== undefined) {
  console.error(`npm test: first failure in the ${first.name}`);
  process.exit(first.code);
}
