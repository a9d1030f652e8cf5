// `npm run fuzz -- --runs N [--seed S]`: the engine fuzzer of test/support/fuzz.ts beyond the CI budget.
// A failing case prints its seed and path (re-run with the same --seed to reproduce) and is saved under
// test/fuzz/regressions/, which the fuzz test replays on every `npm test`.
import { runFuzz, saveRegression } from '../test/support/fuzz';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(flag('--runs') ?? '20000');
  const seed = Number(flag('--seed') ?? String(Date.now() % 2 ** 31));
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: npm run fuzz -- --runs N [--seed S]\n');
    process.exit(2);
  }
  const started = Date.now();
  process.stdout.write(`fuzz: ${runs} cases, seed ${seed}\n`);
  try {
    const count = await runFuzz({
      runs, seed,
      onFailure: (input, problem) => process.stderr.write(`fuzz: FAILED (${input.kind}): ${problem}\nfuzz: saved as ${saveRegression(input)}\n`),
    });
    process.stdout.write(`fuzz: ${count} cases passed in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed})\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

void main();
