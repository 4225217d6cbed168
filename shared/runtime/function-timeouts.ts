/**
 * How long each function may run, in seconds: the CDK stack deploys these timeouts and the local
 * runtime enforces the same ones, so work that would time out in AWS times out on one machine too.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  /** Every HTTP route group; API Gateway's HTTP API gives up on an integration after 30 s anyway. */
  http: 10,
  'publish-changes': 30,
  'tally-campaigns': 30,
  'run-automation': 30,
  'plan-touchpoints': 30,
  'forget-customer': 60,
  'ses-feedback': 10,
  'deliver-touchpoint': 30,
  'run-broadcast': 10,
  /** Reads one segment of a broadcast's audience until its time runs low, then hands on a continuation. */
  'page-broadcast': 60,
  'send-broadcast': 30,
  'close-abandoned-deliveries': 30,
  'inbound-sms': 30,
  'count-sales': 30,
  'record-conversions': 30,
  'count-repeat-purchases': 30,
  /** Pages through candidate stale leads; a dealer's leads fit well inside five minutes. */
  'sweep-stale-leads': 300,
  /**
   * Starts an import (one counting pass over the file), runs a chunk of one, or a stretch of a
   * backfill; each stops taking rows when 10 s are left and queues its continuation.
   */
  'bulk-jobs': 300,
} as const;
export type TimedFunction = keyof typeof FUNCTION_TIMEOUT_SECONDS;

/**
 * Lambda's retry policy for asynchronous invocations (Scheduler, EventBridge and SNS targets): after
 * a function error it retries twice, about one and then two more minutes later, and then hands the
 * event to the on-failure destination.
 */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** A delivery stops starting new provider calls when less than this much of its time is left. */
export const SEND_TIME_BUDGET_MS = 8_000;
