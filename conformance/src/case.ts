// A conformance case is data: a name, the nats.conf it needs, the reference fact it pins, and
// either a transcript (steps over one raw connection) or a small function over a CaseContext.
import type { Target, TargetKind } from './targets.js';
import { connectWire, DEFAULT_EXPECT_MS, type WireClient, WireError } from './wire.js';

export const DEFAULT_CONFIG = '# defaults only\n';

export interface CaseContext {
  readonly kind: TargetKind;
  readonly target: Target;
  /** A raw connection; nothing consumed yet (the INFO is still in the buffer). */
  connect(): Promise<WireClient>;
  /**
   * A connected client: INFO consumed, `CONNECT <opts>` sent, synced with PING/PONG (consuming
   * the CONNECT `+OK` too when the options leave verbose on). Default opts `{"verbose":false}`.
   */
  client(opts?: Record<string, unknown> | string): Promise<WireClient>;
}

export type Step =
  | { readonly kind: 'send'; readonly data: string }
  | { readonly kind: 'split'; readonly data: string; readonly points: readonly number[] }
  | { readonly kind: 'expect'; readonly pattern: string | RegExp; readonly timeoutMs?: number }
  | { readonly kind: 'info' }
  | { readonly kind: 'closed'; readonly ms: number }
  | { readonly kind: 'nothing'; readonly ms: number }
  | { readonly kind: 'wait'; readonly ms: number };

export const send = (data: string): Step => ({ kind: 'send', data });
export const split = (data: string, points: readonly number[]): Step => ({ kind: 'split', data, points });
export const expect = (pattern: string | RegExp, timeoutMs?: number): Step =>
  timeoutMs === undefined ? { kind: 'expect', pattern } : { kind: 'expect', pattern, timeoutMs };
/** Consume the INFO line (framing checked: `INFO <compact json> \r\n`). */
export const info = (): Step => ({ kind: 'info' });
/** The server closes within `ms` with nothing more sent. */
export const closed = (ms = DEFAULT_EXPECT_MS): Step => ({ kind: 'closed', ms });
/** Nothing arrives and the connection stays open for `ms`. */
export const nothing = (ms = 100): Step => ({ kind: 'nothing', ms });
export const wait = (ms: number): Step => ({ kind: 'wait', ms });
/** `-ERR '<text>'\r\n` */
export const err = (text: string): Step => expect(`-ERR '${text}'\r\n`);
/** The CONNECT used by most transcripts: no +OK, pedantic left at its default. */
export const QUIET = 'CONNECT {"verbose":false}\r\n';

export interface WireCase {
  readonly name: string;
  /** nats.conf text; default DEFAULT_CONFIG. Cases with equal text share one server per target. */
  readonly config?: string;
  /** Own server: the case changes server-wide state (connections, signals) or needs quiet timing. */
  readonly isolated?: boolean;
  /** Where the pinned fact comes from, e.g. `client-protocol §4`. */
  readonly ref?: string;
  readonly timeoutMs?: number;
  readonly steps?: readonly Step[];
  readonly run?: (ctx: CaseContext) => Promise<void>;
}

export interface CaseGroup {
  readonly name: string;
  readonly cases: readonly WireCase[];
}

export async function runSteps(c: WireClient, steps: readonly Step[]): Promise<void> {
  for (const [i, s] of steps.entries()) {
    try {
      switch (s.kind) {
        case 'send':
          c.send(s.data);
          break;
        case 'split':
          await c.sendSplit(s.data, s.points);
          break;
        case 'expect':
          await c.expect(s.pattern, s.timeoutMs);
          break;
        case 'info':
          await c.expectInfo();
          break;
        case 'closed':
          await c.expectClosed(s.ms);
          break;
        case 'nothing':
          await c.expectNothing(s.ms);
          break;
        case 'wait':
          await new Promise((r) => setTimeout(r, s.ms));
          break;
      }
    } catch (e) {
      if (e instanceof WireError) e.message = `step ${i + 1} (${s.kind}): ${e.message}`;
      throw e;
    }
  }
}

/** Context whose connections are all closed by `dispose()`. */
export function createContext(kind: TargetKind, target: Target): CaseContext & { dispose(): void } {
  const open: WireClient[] = [];
  const connect = async (): Promise<WireClient> => {
    const c = await connectWire(target);
    open.push(c);
    return c;
  };
  return {
    kind,
    target,
    connect,
    async client(opts = { verbose: false }) {
      const json = typeof opts === 'string' ? opts : JSON.stringify(opts);
      const verbose = typeof opts === 'string' ? !/"verbose"\s*:\s*false/.test(opts) : opts.verbose !== false;
      const c = await connect();
      await c.expectInfo();
      c.send(`CONNECT ${json}\r\n`);
      await c.ping(verbose ? '+OK\r\n' : '');
      return c;
    },
    dispose() {
      for (const c of open) c.close();
    },
  };
}

export async function runCase(wc: WireCase, ctx: CaseContext): Promise<void> {
  if (wc.steps !== undefined) {
    const c = await ctx.connect();
    await runSteps(c, wc.steps);
  }
  if (wc.run !== undefined) await wc.run(ctx);
  if (wc.steps === undefined && wc.run === undefined) throw new Error(`case "${wc.name}" has neither steps nor run`);
}
