/**
 * Options in, validated ServerOptions out. The same loader serves config files (CLI) and
 * plain objects (embedding), so `new Server({ max_payload: '1MB', ping_interval: '2m' })`
 * means exactly what the same keys mean in nats.conf.
 */
import { type ConfigProblem, loadConfigFile, normalizeOptions, type ServerOptions } from '@starling/conf';
import { StarlingError } from '@starling/errors';

/** A plain object with nats.conf key names, or already-resolved options. */
export type ServerOptionsInput = Record<string, unknown> | ServerOptions;

export class OptionsError extends StarlingError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super('ERR_OPTIONS', problems.map((p) => String(p)).join('\n'));
    this.problems = problems;
  }
}

const RESOLVED = Symbol.for('starling.resolved-options');

/** Marks options that went through the loader so they are not normalized twice. */
export function markResolved(o: ServerOptions): ServerOptions {
  Object.defineProperty(o, RESOLVED, { value: true, enumerable: false });
  return o;
}

/** Options straight from the loader (a config file, or normalizeOptions) are used as they are. */
function isLoaderOutput(input: ServerOptionsInput): input is ServerOptions {
  const o = input as Record<string | symbol, unknown>;
  return o[RESOLVED] === true || (Array.isArray(o.unsupported) && 'config_file' in o && 'resolver_preload' in o);
}

export function resolveServerOptions(input: ServerOptionsInput): ServerOptions {
  if (isLoaderOutput(input)) return input;
  const res = normalizeOptions(input as Record<string, unknown>);
  if (res.errors.length > 0) throw new OptionsError(res.errors);
  return markResolved(res.options);
}

/** Loads and validates a nats.conf file; throws OptionsError listing every problem. */
export function optionsFromConfigFile(path: string): { options: ServerOptions; warnings: readonly ConfigProblem[] } {
  const res = loadConfigFile(path);
  if (res.errors.length > 0) throw new OptionsError(res.errors);
  return { options: markResolved(res.options), warnings: res.warnings };
}
