#!/usr/bin/env node
/**
 * `starling` — nats-server's command line: argv -> config file -> options -> Server.
 * Runs as a single process (tools measure the PID they start); never forks.
 */
import { run } from './main.js';

run(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`starling: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
