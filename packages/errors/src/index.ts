/**
 * The base of every typed Starling error.
 *
 * Errors carry a stable string `code` (documented in docs/errors.md) and an
 * optional `cause`. `instanceof` is answered through a `Symbol.for` brand so it
 * keeps working when two copies of a Starling package are installed side by side.
 */
const BRAND: unique symbol = Symbol.for('starling.error') as never;

export class StarlingError extends Error {
  readonly code: string;
  readonly [BRAND] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'StarlingError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** True for any Starling error, from any installed copy. */
export function isStarlingError(value: unknown): value is StarlingError {
  return value instanceof StarlingError;
}
