// nats.js v2 (`nats`) and v3 (`@nats-io/transport-node`) behind one small structural interface,
// so every real-client test runs unchanged against both generations of the client.
import * as v3 from '@nats-io/transport-node';
import * as v2 from 'nats';

export interface ClientMsg {
  readonly subject: string;
  readonly reply?: string;
  readonly data: Uint8Array;
  readonly headers?: { get(k: string): string; values(k: string): string[]; code: number } | undefined;
  string(): string;
  respond(data?: string | Uint8Array, opts?: { headers?: unknown }): boolean;
}

export interface ClientSub extends AsyncIterable<ClientMsg> {
  unsubscribe(max?: number): void;
  getProcessed(): number;
}

export interface ClientConn {
  publish(subject: string, data?: string | Uint8Array, opts?: { reply?: string; headers?: unknown }): void;
  subscribe(subject: string, opts?: { queue?: string; max?: number }): ClientSub;
  request(
    subject: string,
    data?: string | Uint8Array,
    opts?: { timeout: number; headers?: unknown; noMux?: boolean },
  ): Promise<ClientMsg>;
  flush(): Promise<void>;
  drain(): Promise<void>;
  close(): Promise<void>;
  closed(): Promise<Error | undefined>;
  isClosed(): boolean;
  status(): AsyncIterable<{ type: string }>;
  readonly info?: { server_id: string; headers?: boolean; max_payload: number } | undefined;
}

export interface ClientOptions {
  servers: string;
  user?: string;
  pass?: string;
  token?: string;
  reconnect?: boolean;
  maxReconnectAttempts?: number;
  reconnectTimeWait?: number;
  reconnectJitter?: number;
  timeout?: number;
  name?: string;
}

export interface ClientLib {
  readonly name: string;
  connect(opts: ClientOptions): Promise<ClientConn>;
  /** A headers object with the given key/values set. */
  headers(entries: ReadonlyArray<readonly [string, string]>): unknown;
  isNoResponders(err: unknown): boolean;
  isAuthError(err: unknown): boolean;
}

const errText = (e: unknown): string =>
  e instanceof Error ? `${e.name} ${e.message} ${String((e as { code?: unknown }).code ?? '')}` : String(e);

export const CLIENT_LIBS: readonly ClientLib[] = [
  {
    name: 'nats.js v2',
    async connect(opts) {
      return (await v2.connect({ ...opts, reconnectJitter: opts.reconnectJitter ?? 0 })) as unknown as ClientConn;
    },
    headers(entries) {
      const h = v2.headers();
      for (const [k, v] of entries) h.append(k, v);
      return h;
    },
    isNoResponders(err) {
      return (err as { code?: unknown }).code === v2.ErrorCode.NoResponders;
    },
    isAuthError(err) {
      return (err as { code?: unknown }).code === v2.ErrorCode.AuthorizationViolation;
    },
  },
  {
    name: 'nats.js v3',
    async connect(opts) {
      return (await v3.connect({ ...opts, reconnectJitter: opts.reconnectJitter ?? 0 })) as unknown as ClientConn;
    },
    headers(entries) {
      const h = v3.headers();
      for (const [k, v] of entries) h.append(k, v);
      return h;
    },
    isNoResponders(err) {
      if (err instanceof v3.errors.NoRespondersError) return true;
      return err instanceof v3.errors.RequestError && err.isNoResponders();
    },
    isAuthError(err) {
      return err instanceof v3.errors.AuthorizationError || /authorization violation/i.test(errText(err));
    },
  },
];

export { errText };
