// The wire cases that wait on clocks (keepalive, slow consumer, lame duck). They live in their own
// file so vitest runs them in parallel with wire.test.ts, and concurrently with each other.
import { keepaliveGroup } from '../cases/keepalive.js';
import { lameDuckGroup, slowConsumerGroup } from '../cases/slow-consumer.js';
import { defineWireSuite } from '../src/runner.js';

defineWireSuite([keepaliveGroup, slowConsumerGroup, lameDuckGroup], { concurrent: true });
