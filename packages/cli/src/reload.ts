/** SIGHUP: re-read the same config file, re-apply the flags (they still win), then reload. */
import { loadConfigFile } from '@starling/conf';
import type { NatsLogger, Server } from '@starling/server';
import { applyFlagOverrides, type ParsedFlags } from './flags.js';

export function reloadServer(server: Server, logger: NatsLogger, flags: ParsedFlags): void {
  if (flags.configFile === null) {
    logger.error('Failed to reload server configuration: no configuration file was given');
    return;
  }
  const res = loadConfigFile(flags.configFile);
  if (res.errors.length > 0) {
    logger.error(`Failed to reload server configuration: ${res.errors.map(String).join('; ')}`);
    return;
  }
  const merged = applyFlagOverrides(res.options, flags);
  if (merged.errors.length > 0) {
    logger.error(`Failed to reload server configuration: ${merged.errors.map(String).join('; ')}`);
    return;
  }
  const err = server.reload(merged.options);
  if (err !== null) {
    logger.error(`Failed to reload server configuration: ${err}`);
    return;
  }
  logger.configure(merged.options);
  logger.notice('Reloaded server configuration');
}
