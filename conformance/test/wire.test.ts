// Every wire case against every target in CONFORMANCE_TARGETS (default: nats-server,starling).
import { authAccountsGroup } from '../cases/auth-accounts.js';
import { authBasicGroup } from '../cases/auth-basic.js';
import { authOperatorGroup } from '../cases/auth-operator.js';
import { authPermissionsGroup } from '../cases/auth-permissions.js';
import { connectGroup } from '../cases/connect.js';
import { echoGroup, queueGroup, unsubGroup } from '../cases/echo-queue-unsub.js';
import { errorsGroup } from '../cases/errors.js';
import { headersGroup } from '../cases/headers.js';
import { infoGroup } from '../cases/info.js';
import { limitsGroup } from '../cases/limits.js';
import { pingPongGroup } from '../cases/ping-pong.js';
import { pubSubGroup } from '../cases/pub-sub.js';
import { splitWritesGroup } from '../cases/split-writes.js';
import { verbosePedanticGroup } from '../cases/verbose-pedantic.js';
import { defineWireSuite } from '../src/runner.js';

defineWireSuite([
  infoGroup,
  connectGroup,
  pubSubGroup,
  headersGroup,
  verbosePedanticGroup,
  echoGroup,
  queueGroup,
  unsubGroup,
  pingPongGroup,
  errorsGroup,
  limitsGroup,
  splitWritesGroup,
  authBasicGroup,
  authAccountsGroup,
  authPermissionsGroup,
  authOperatorGroup,
]);
