// Every wire case against every target in CONFORMANCE_TARGETS (default: nats-server,starling).
import { infoGroup } from '../cases/info.js';
import { defineWireSuite } from '../src/runner.js';

defineWireSuite([infoGroup]);
