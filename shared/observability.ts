import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The one Powertools module: every function logs and counts through these. */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'crm';

export const logger = new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL ?? 'INFO') as 'INFO' });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Crm',
  // An invocation that counted nothing (most do) is not worth a warning in every log.
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.info(String(args[0])),
    warn: (...args: unknown[]) => logger.debug(String(args[0])),
    error: (...args: unknown[]) => logger.error(String(args[0])),
  },
});
