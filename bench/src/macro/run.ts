// `pnpm bench`: the side-by-side macro benchmark (Starling vs nats-server). See bench/README.md.
import { parseArgs, USAGE, UsageError } from './options.js';
import { allCorrect } from './results.js';
import { runBenchmark } from './runner.js';

try {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
  } else {
    const { report } = await runBenchmark(opts, (line) => console.log(line));
    process.exitCode = allCorrect(report) ? 0 : 1;
  }
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
