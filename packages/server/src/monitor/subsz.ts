/**
 * /subsz (alias /subscriptionsz): sublist statistics summed over accounts, and with `subs=1` a
 * page of subscriptions (optionally only those a publish to `test` would reach). As in
 * nats-server 2.9.10, `total` is the length of the returned page, and a response with no
 * subscriptions listed is the bare statistics object.
 */
import { isValidLiteralSubject, type SublistStats, subjectMatches, sumSublistStats } from '@starling/sublist';
import { subDetail } from './connz.js';
import type { MonitorContext } from './context.js';
import { decodeBool, decodeInt, goTime, nowMs, QueryError } from './go-format.js';

export const DEFAULT_SUB_LIST_SIZE = 1024;

export interface SubszOptions {
  subs: boolean;
  offset: number;
  limit: number;
  acc: string;
  test: string;
}

export function parseSubszQuery(q: URLSearchParams): SubszOptions {
  const subs = decodeBool(q, 'subs');
  const offset = decodeInt(q, 'offset');
  const limit = decodeInt(q, 'limit');
  return { subs, offset, limit, acc: q.get('acc') ?? '', test: q.get('test') ?? '' };
}

/** nats-server's `SublistStats` JSON. */
export function sublistStatsJson(st: SublistStats): Record<string, number> {
  return {
    num_subscriptions: st.numSubs,
    num_cache: st.numCache,
    num_inserts: st.numInserts,
    num_removes: st.numRemoves,
    num_matches: st.numMatches,
    cache_hit_rate: st.cacheHitRate,
    max_fanout: st.maxFanout,
    avg_fanout: st.avgFanout,
  };
}

export function buildSubsz(ctx: MonitorContext, opts: SubszOptions): Record<string, unknown> {
  const offset = Math.max(0, opts.offset);
  const limit = opts.limit <= 0 ? DEFAULT_SUB_LIST_SIZE : opts.limit;
  const test = opts.test;
  if (test !== '' && !isValidLiteralSubject(test)) {
    throw new QueryError(`invalid test subject, must be valid publish subject: ${test}`);
  }
  // Subjects are kept as latin1 (one char per wire byte); compare the query's bytes the same way.
  const testWire = Buffer.from(test, 'utf8').toString('latin1');
  const server = ctx.server;
  const now = nowMs();
  const all: SublistStats[] = [];
  const page: Record<string, unknown>[] = [];
  let index = 0;
  for (const acc of server.accounts.values()) {
    if (opts.acc !== '' && acc.name !== opts.acc) continue;
    all.push(acc.sublist.stats());
    if (!opts.subs) continue;
    for (const c of acc.clients) {
      for (const sub of c.subs.values()) {
        if (sub.account !== acc) continue;
        if (test !== '' && !subjectMatches(sub.subject, testWire)) continue;
        // Only the requested window is rendered; the rest is counted and skipped.
        if (index >= offset && page.length < limit) {
          page.push(subDetail(sub.subject, sub.queue, sub.sid, sub.delivered, sub.max, c.cid, acc.name));
        }
        index++;
      }
    }
  }
  const stats = sublistStatsJson(sumSublistStats(all));
  if (page.length === 0) return stats;
  return {
    server_id: server.serverId,
    now: goTime(now),
    ...stats,
    total: page.length,
    offset,
    limit,
    subscriptions_list: page,
  };
}
