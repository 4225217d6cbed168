import { FUNCTION_TIMEOUT_SECONDS } from './function-timeouts.ts';

/**
 * The SQS queues and their event source mappings, declared once: the CDK stack deploys them and
 * the local runtime runs them with the same batch sizes, concurrency, receives and visibility.
 * SQS hides a received message for six times its consumer's timeout, as AWS advises.
 */
export const QUEUES = {
  /** Broadcast recipients, to the rate-bounded senders. */
  'broadcast-sends': {
    name: 'broadcast-sends',
    target: 'send-broadcast',
    batchSize: 10,
    maxConcurrency: 2,
    maxReceives: 3,
    visibilitySeconds: 6 * FUNCTION_TIMEOUT_SECONDS['send-broadcast'],
  },
  /**
   * Deliveries the platform gave up on: `deliver-touchpoint`'s on-failure destination and the
   * send queue's redrive. Its consumer ends each message named `failed`.
   */
  'abandoned-deliveries': {
    name: 'abandoned-deliveries',
    target: 'close-abandoned-deliveries',
    batchSize: 10,
    maxConcurrency: 2,
    maxReceives: 5,
    visibilitySeconds: 6 * FUNCTION_TIMEOUT_SECONDS['close-abandoned-deliveries'],
  },
  /** Segments of a broadcast's audience (and their continuations), read in parallel. */
  'broadcast-segments': {
    name: 'broadcast-segments',
    target: 'page-broadcast',
    batchSize: 1,
    maxConcurrency: 4,
    maxReceives: 3,
    visibilitySeconds: 6 * FUNCTION_TIMEOUT_SECONDS['page-broadcast'],
  },
  /** Imports (an uploaded file, then its chunks) and campaign backfills, each continuing itself. */
  'bulk-jobs': {
    name: 'bulk-jobs',
    target: 'bulk-jobs',
    batchSize: 1,
    maxConcurrency: 2,
    maxReceives: 3,
    visibilitySeconds: 6 * FUNCTION_TIMEOUT_SECONDS['bulk-jobs'],
  },
} as const;
