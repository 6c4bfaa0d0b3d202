// Registers vitest suites: every case of every group against every target in CONFORMANCE_TARGETS.
// Cases with the same config share one server per target (started on first use, so a target that
// cannot start fails each of its cases with the start error — never a skip).
import { afterAll, describe, it } from 'vitest';
import { type CaseGroup, createContext, DEFAULT_CONFIG, runCase } from './case.js';
import { startTarget, type Target, type TargetKind, targetsFromEnv } from './targets.js';

export function defineWireSuite(groups: readonly CaseGroup[], opts: { concurrent?: boolean } = {}): void {
  const targets = targetsFromEnv();
  describe.each(targets)('%s', (kind: TargetKind) => {
    const shared = new Map<string, Promise<Target>>();
    const sharedTarget = (config: string): Promise<Target> => {
      let p = shared.get(config);
      if (p === undefined) {
        p = startTarget(kind, { config });
        shared.set(config, p);
      }
      return p;
    };
    afterAll(async () => {
      await Promise.all(
        [...shared.values()].map(async (p) => {
          const t = await p.catch(() => null);
          await t?.stop();
        }),
      );
    });

    for (const group of groups) {
      const d = opts.concurrent === true ? describe.concurrent : describe;
      d(group.name, () => {
        for (const wc of group.cases) {
          it(
            wc.name,
            async () => {
              const config = wc.config ?? DEFAULT_CONFIG;
              const target = wc.isolated === true ? await startTarget(kind, { config }) : await sharedTarget(config);
              const ctx = createContext(kind, target);
              try {
                await runCase(wc, ctx);
              } catch (e) {
                if (e instanceof Error && wc.isolated === true) {
                  e.message += `\n--- ${kind} output ---\n${target.logs().slice(-3000)}`;
                }
                throw e;
              } finally {
                ctx.dispose();
                if (wc.isolated === true) await target.stop();
              }
            },
            wc.timeoutMs ?? 15_000,
          );
        }
      });
    }
  });
}
