// Every wire case against every target in CONFORMANCE_TARGETS (default: nats-server,starling).
import { connectGroup } from '../cases/connect.js';
import { echoGroup, queueGroup, unsubGroup } from '../cases/echo-queue-unsub.js';
import { errorsGroup } from '../cases/errors.js';
import { headersGroup } from '../cases/headers.js';
import { infoGroup } from '../cases/info.js';
import { pingPongGroup } from '../cases/ping-pong.js';
import { pubSubGroup } from '../cases/pub-sub.js';
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
]);
