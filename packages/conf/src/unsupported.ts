/**
 * Blocks for features Starling does not provide yet (cluster, gateway, leafnodes, mqtt,
 * jetstream, …). Their key names are validated like nats-server does (unknown keys are
 * errors, aliases accepted) and the block goes to `options.unsupported`, so `starling -t`
 * accepts the same files as nats-server and the server can warn naming each one.
 */

import { loadMappings, loadPermissions } from './load-auth.js';
import type { LoadContext } from './load-context.js';
import { TLS_KEYS } from './load-tls.js';
import type { ConfEntry, ConfNode } from './tree.js';

/** What a key holds: anything, a block with known keys, a list of such blocks, or a special. */
type KeySpec = 'any' | 'tls' | 'perms' | Schema | { list: Schema };
interface Schema {
  keys: Map<string, KeySpec>;
  /** Message for an unknown key (default `unknown field "x"`). */
  unknown?: (key: string) => string;
}

/** Builds a schema; `'a|b'` lists aliases of one key. */
function schema(def: Record<string, KeySpec>, unknown?: (key: string) => string): Schema {
  const keys = new Map<string, KeySpec>();
  for (const [names, spec] of Object.entries(def)) for (const n of names.split('|')) keys.set(n, spec);
  return unknown === undefined ? { keys } : { keys, unknown };
}

const SIMPLE_AUTH = schema({ 'user|username': 'any', 'pass|password': 'any', token: 'any', timeout: 'any' });

const FULL_AUTH_USERS = schema({
  nkey: 'any',
  'user|username': 'any',
  'pass|password': 'any',
  'permission|permissions|authorization': 'perms',
  'allowed_connection_types|connection_types|clients': 'any',
  proxy_required: 'any',
});
const FULL_AUTH = schema({
  'user|username': 'any',
  'pass|password': 'any',
  token: 'any',
  timeout: 'any',
  users: { list: FULL_AUTH_USERS },
  'default_permission|default_permissions|permissions': 'perms',
  'auth_callout|auth_hook': 'any',
  proxy_required: 'any',
});

const COMPRESSION = schema({ mode: 'any', 'rtt_thresholds|thresholds|rtts|rtt': 'any' });

const CLUSTER = schema({
  name: 'any',
  listen: 'any',
  port: 'any',
  'host|net': 'any',
  authorization: FULL_AUTH,
  routes: 'any',
  tls: 'tls',
  'cluster_advertise|advertise': 'any',
  no_advertise: 'any',
  connect_retries: 'any',
  connect_backoff: 'any',
  permissions: 'perms',
  pool_size: 'any',
  accounts: 'any',
  compression: COMPRESSION,
  ping_interval: 'any',
  ping_max: 'any',
  write_deadline: 'any',
  write_timeout: 'any',
});

const GATEWAY_REMOTE = schema({ name: 'any', tls: 'tls', url: 'any', urls: 'any' });
const GATEWAY = schema({
  name: 'any',
  listen: 'any',
  port: 'any',
  'host|net': 'any',
  authorization: FULL_AUTH,
  tls: 'tls',
  advertise: 'any',
  connect_retries: 'any',
  connect_backoff: 'any',
  gateways: { list: GATEWAY_REMOTE },
  'reject_unknown|reject_unknown_cluster': 'any',
  write_deadline: 'any',
  write_timeout: 'any',
});

const LEAF_USERS = schema({ 'user|username': 'any', 'pass|password': 'any', account: 'any', proxy_required: 'any' });
const LEAF_AUTH = schema({
  'user|username': 'any',
  'pass|password': 'any',
  nkey: 'any',
  timeout: 'any',
  users: { list: LEAF_USERS },
  account: 'any',
  proxy_required: 'any',
});
const LEAF_PROXY = schema({ url: 'any', username: 'any', password: 'any', timeout: 'any' });
const LEAF_REMOTE = schema({
  'no_randomize|dont_randomize': 'any',
  'url|urls': 'any',
  'account|local': 'any',
  'creds|credentials': 'any',
  'nkey|seed': 'any',
  tls: 'tls',
  hub: 'any',
  'deny_imports|deny_import': 'any',
  'deny_exports|deny_export': 'any',
  'ws_compress|ws_compression|websocket_compress|websocket_compression': 'any',
  'ws_no_masking|websocket_no_masking': 'any',
  'jetstream_cluster_migrate|js_cluster_migrate': 'any',
  'isolate_leafnode_interest|isolate': 'any',
  request_isolation: 'any',
  compression: COMPRESSION,
  first_info_timeout: 'any',
  dial_timeout: 'any',
  disabled: 'any',
  proxy: LEAF_PROXY,
  ignore_discovered_servers: 'any',
});
const LEAFNODES = schema({
  listen: 'any',
  port: 'any',
  'host|net': 'any',
  authorization: LEAF_AUTH,
  remotes: { list: LEAF_REMOTE },
  'reconnect|reconnect_delay|reconnect_interval': 'any',
  dial_timeout: 'any',
  tls: 'tls',
  'leafnode_advertise|advertise': 'any',
  no_advertise: 'any',
  'min_version|minimum_version': 'any',
  compression: COMPRESSION,
  'isolate_leafnode_interest|isolate': 'any',
  write_deadline: 'any',
  write_timeout: 'any',
});

const MQTT = schema({
  listen: 'any',
  port: 'any',
  'host|net': 'any',
  tls: 'tls',
  'authorization|authentication': SIMPLE_AUTH,
  no_auth_user: 'any',
  'ack_wait|ackwait': 'any',
  'js_api_timeout|api_timeout': 'any',
  'max_ack_pending|max_pending|max_inflight': 'any',
  js_domain: 'any',
  stream_replicas: 'any',
  consumer_replicas: 'any',
  consumer_memory_storage: 'any',
  'consumer_inactive_threshold|consumer_auto_cleanup': 'any',
  reject_qos2_publish: 'any',
  downgrade_qos2_subscribe: 'any',
});

const JS_LIMITS = schema({
  max_ack_pending: 'any',
  max_ha_assets: 'any',
  max_request_batch: 'any',
  duplicate_window: 'any',
  batch: 'any',
});
const JS_TPM = schema({ keys_file: 'any', encryption_password: 'any', srk_password: 'any', pcr: 'any', cipher: 'any' });
const JETSTREAM = schema({
  'enabled|enable': 'any',
  'disabled|disable': 'any',
  strict: 'any',
  'store|store_dir|storedir': 'any',
  'sync|sync_interval': 'any',
  'max_memory_store|max_mem_store|max_mem': 'any',
  'max_file_store|max_file': 'any',
  domain: 'any',
  'key|ek|encryption_key': 'any',
  'prev_key|prev_ek|prev_encryption_key': 'any',
  cipher: 'any',
  extension_hint: 'any',
  limits: JS_LIMITS,
  tpm: JS_TPM,
  unique_tag: 'any',
  max_outstanding_catchup: 'any',
  max_buffered_size: 'any',
  max_buffered_msgs: 'any',
  request_queue_limit: 'any',
  info_queue_limit: 'any',
  meta_compact: 'any',
  meta_compact_size: 'any',
  meta_compact_sync: 'any',
  max_concurrent_io: 'any',
});

const OCSP = schema(
  { mode: 'any', urls: 'any', url: 'any' },
  (k) => `error parsing ocsp config: unsupported field ${k}`,
);

/** Top-level keys nats-server knows that Starling parses but does not provide, by alias. */
const TOP_LEVEL: Record<string, { canonical: string; spec: KeySpec }> = {};
function top(names: string, spec: KeySpec): void {
  const list = names.split('|');
  for (const n of list) TOP_LEVEL[n] = { canonical: list[0]!, spec };
}
top('cluster', CLUSTER);
top('gateway', GATEWAY);
top('leafnodes|leaf', LEAFNODES);
top('mqtt', MQTT);
top('jetstream', JETSTREAM);
top('store_dir|storedir', 'any');
top('default_js_domain', 'any');
top('server_tags', 'any');
top('server_metadata', 'any');
top('feature_flags', 'any');
top('ocsp', OCSP);
top('ocsp_cache', 'any');
top('resolver_tls', 'tls');
top('resolver_pinned_accounts', 'any');
top('prof_port', 'any');
top('prof_block_rate', 'any');
top('connect_error_reports', 'any');
top('reconnect_error_reports', 'any');
top('logfile_max_num|log_max_num', 'any');
top('trace_headers', 'any');
top('write_timeout', 'any');
top('no_fast_producer_stall', 'any');
top('proxies', 'any');
top('proxy_protocol', 'any');
top('default_sentinel', 'any');

/** True (and recorded) when `e` is a known-but-unsupported top-level key. */
export function loadUnsupportedTopLevel(ctx: LoadContext, e: ConfEntry, lower: string): boolean {
  const def = TOP_LEVEL[lower];
  if (def === undefined) return false;
  validate(ctx, e, def.spec);
  ctx.addUnsupported(def.canonical, e);
  return true;
}

function validate(ctx: LoadContext, e: ConfEntry, spec: KeySpec): void {
  if (spec === 'any') return;
  if (spec === 'tls') {
    validateMapKeys(
      ctx,
      e.node,
      (k) => TLS_KEYS.has(k),
      (c) => `error parsing tls config, unknown field [${JSON.stringify(c)}]`,
      'CONF_TLS',
    );
    return;
  }
  if (spec === 'perms') {
    if (e.node.kind === 'map') loadPermissions(ctx, e);
    return;
  }
  if ('list' in spec) {
    if (e.node.kind !== 'array') return;
    for (const el of e.node.value) validateSchema(ctx, el, spec.list);
    return;
  }
  validateSchema(ctx, e.node, spec);
}

function validateSchema(ctx: LoadContext, node: ConfNode, s: Schema): void {
  if (node.kind !== 'map') return;
  for (const c of node.value.values()) {
    const spec = s.keys.get(c.key.toLowerCase());
    if (spec === undefined) {
      if (c.usedAsVariable) continue;
      if (s.unknown !== undefined) ctx.error('CONF_UNKNOWN_FIELD', s.unknown(c.key), c.pos);
      else ctx.unknown(c);
      continue;
    }
    validate(ctx, c, spec);
  }
}

function validateMapKeys(
  ctx: LoadContext,
  node: ConfNode,
  known: (key: string) => boolean,
  message: (key: string) => string,
  code: 'CONF_TLS',
): void {
  if (node.kind !== 'map') return;
  for (const c of node.value.values()) {
    if (!known(c.key.toLowerCase()) && !c.usedAsVariable) ctx.error(code, message(c.key), c.pos);
  }
}

/** The top-level `mappings` block (subject mappings of `$G`): validated, then unsupported. */
export function loadTopLevelMappings(ctx: LoadContext, e: ConfEntry): void {
  loadMappings(ctx, e);
  ctx.addUnsupported('mappings', e);
}
