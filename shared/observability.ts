import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { observabilityConfig } from './config.ts';

/** The one Powertools module: every function logs and counts through these. */
const config = observabilityConfig();
const serviceName = config.POWERTOOLS_SERVICE_NAME;

export const logger = new Logger({ serviceName, logLevel: config.LOG_LEVEL });
export const metrics = new Metrics({
  serviceName,
  namespace: config.POWERTOOLS_METRICS_NAMESPACE,
  // An invocation that counted nothing (most do) is not worth a warning in every log.
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.info(String(args[0])),
    warn: (...args: unknown[]) => logger.debug(String(args[0])),
    error: (...args: unknown[]) => logger.error(String(args[0])),
  },
});
