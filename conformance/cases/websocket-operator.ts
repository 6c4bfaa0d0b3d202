// Operator-mode fixtures for the websocket cookie cases: an operator, one account preloaded in a
// MEMORY resolver, and bearer user JWTs (no nonce signature needed, which is what lets a browser
// authenticate with a cookie). Generated per run; test-only keys.
import { encodeAccount, encodeOperator, encodeUser } from '@nats-io/jwt';
import { createAccount, createOperator, createUser } from '@nats-io/nkeys';

export interface OperatorFixture {
  /** Top-level nats.conf lines: operator, resolver, preload. */
  config: string;
  /** A bearer user JWT that may publish only to `ok.>`. */
  bearerUser: string;
  /** A bearer user JWT limited to source addresses in `203.0.113.0/24`. */
  srcLimitedUser: string;
  /** A non-bearer user JWT (needs a nonce signature). */
  signedUser: string;
  /** A bearer user JWT without permission limits (the browser session). */
  openUser: string;
}

export async function operatorFixture(): Promise<OperatorFixture> {
  const op = createOperator();
  const acc = createAccount();
  const opJwt = await encodeOperator('WS-OP', op);
  const limits = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
  const accJwt = await encodeAccount('WS-ACC', acc, { limits }, { signer: op });
  const bearerUser = await encodeUser('bearer', createUser(), acc, { bearer_token: true, pub: { allow: ['ok.>'] } });
  const srcLimitedUser = await encodeUser('src', createUser(), acc, { bearer_token: true, src: ['203.0.113.0/24'] });
  const signedUser = await encodeUser('signed', createUser(), acc, {});
  const openUser = await encodeUser('browser', createUser(), acc, { bearer_token: true });
  const config = `operator: ${opJwt}\nresolver: MEMORY\nresolver_preload: {\n  ${acc.getPublicKey()}: ${accJwt}\n}\n`;
  return { config, bearerUser, srcLimitedUser, signedUser, openUser };
}
