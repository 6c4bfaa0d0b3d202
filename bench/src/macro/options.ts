/** Command-line options of the macro runner. Bad input is a typed error with the usage text. */
import { SCENARIOS } from './scenarios.js';

export interface RunOptions {
  /** Two target names: [A, B]; ratios are A / B. */
  targets: [string, string];
  /** Overrides the command of the `starling` target (split on spaces). */
  starlingCmd: string[] | null;
  /** Starling has a websocket listener (off until it lands). */
  starlingWs: boolean;
  rounds: number;
  quick: boolean;
  scale: number;
  only: string[] | null;
  pin: boolean;
  warmup: boolean;
  /** Where results go; null = bench/results. */
  outDir: string | null;
  /** Also write latest.md / latest.svg (default: full runs into bench/results only). */
  writeLatest: boolean | null;
  /** Times a run is repeated when other processes took > 10% of a pinned core. */
  noiseRetries: number;
  /** Harness self-test: subscribers drop one message; every flow scenario must then FAIL. */
  injectDrop: boolean;
  help: boolean;
}

export const USAGE = `usage: node bench/dist/macro/run.js [options]
  --targets A,B        servers to compare, ratio = A / B (default starling,nats-server);
                       use nats-server,nats-server to check the harness itself (ratios ≈ 1)
  --starling-cmd CMD   command that runs Starling (default: node packages/cli/dist/starling.js);
                       "-c <conf>" is appended
  --starling-ws        Starling has a websocket listener: run ws_pubsub against it too
  --rounds N           alternating rounds A B A B … (default 3; --quick: 1)
  --quick              small counts, 1 round: a smoke test
  --scale X            multiply every message/connection count by X
  --only a,b           only these scenarios or groups (${SCENARIOS.map((s) => s.name).join(', ')})
  --no-pin             do not pin with taskset
  --no-warmup          skip the warm-up pass before each measurement
  --out DIR            write results to DIR instead of bench/results
  --no-latest          do not update latest.md / latest.svg
  --noise-retries N    repeat a run up to N times while other processes take > 10% of a
                       pinned core (default 2); the kept run is flagged in the notes
  --inject-drop        self-test: subscribers drop one message, so the flow scenarios must FAIL
  -h, --help           this text`;

export class UsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

export function parseArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = {
    targets: ['starling', 'nats-server'],
    starlingCmd: null,
    starlingWs: false,
    rounds: 3,
    quick: false,
    scale: 1,
    only: null,
    pin: true,
    warmup: true,
    outDir: null,
    writeLatest: null,
    injectDrop: false,
    noiseRetries: 2,
    help: false,
  };
  let roundsSet = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--':
        break;
      case '--targets': {
        const parts = value(i++, arg)
          .split(',')
          .map((s) => s.trim());
        if (parts.length !== 2 || parts.some((p) => p !== 'starling' && p !== 'nats-server')) {
          throw new UsageError('--targets takes two of starling, nats-server, e.g. nats-server,nats-server');
        }
        o.targets = [parts[0]!, parts[1]!];
        break;
      }
      case '--starling-cmd':
        o.starlingCmd = value(i++, arg)
          .split(/\s+/)
          .filter((s) => s.length > 0);
        break;
      case '--starling-ws':
        o.starlingWs = true;
        break;
      case '--rounds': {
        const n = Number(value(i++, arg));
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError('--rounds takes an integer 1..100');
        o.rounds = n;
        roundsSet = true;
        break;
      }
      case '--quick':
        o.quick = true;
        break;
      case '--scale': {
        const x = Number(value(i++, arg));
        if (!Number.isFinite(x) || x <= 0 || x > 100) throw new UsageError('--scale takes a number in (0, 100]');
        o.scale = x;
        break;
      }
      case '--only': {
        const names = value(i++, arg)
          .split(',')
          .map((s) => s.trim());
        for (const n of names) {
          if (!SCENARIOS.some((s) => s.name === n || s.group === n)) {
            throw new UsageError(`unknown scenario '${n}' (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
          }
        }
        o.only = names;
        break;
      }
      case '--no-pin':
        o.pin = false;
        break;
      case '--no-warmup':
        o.warmup = false;
        break;
      case '--out':
        o.outDir = value(i++, arg);
        break;
      case '--no-latest':
        o.writeLatest = false;
        break;
      case '--noise-retries': {
        const n = Number(value(i++, arg));
        if (!Number.isInteger(n) || n < 0 || n > 10) throw new UsageError('--noise-retries takes an integer 0..10');
        o.noiseRetries = n;
        break;
      }
      case '--inject-drop':
        o.injectDrop = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (o.quick && !roundsSet) o.rounds = 1;
  return o;
}
