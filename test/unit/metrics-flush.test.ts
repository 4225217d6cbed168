import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as docsHandler } from '../../functions/http/docs.ts';
import { lambdaContext } from '../../infra/local/lambda-event.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import { metrics } from '../../shared/observability.ts';
import { httpEvent } from '../support/http-event.ts';

afterEach(() => vi.restoreAllMocks());

describe('metrics are flushed at the end of every invocation (Powertools middy middleware)', () => {
  it('in an event handler, also when it fails', async () => {
    const flush = vi.spyOn(metrics, 'publishStoredMetrics');
    const ok = createEventHandler(
      () => ({}),
      async () => {
        metrics.addMetric('sent', 'Count', 1);
        return 'done';
      },
    );
    expect(await ok({}, lambdaContext('crm-test'))).toBe('done');
    expect(flush).toHaveBeenCalledTimes(1);
    const failing = createEventHandler(
      () => ({}),
      async () => {
        metrics.addMetric('failed', 'Count', 1);
        throw new Error('boom');
      },
    );
    await expect(failing({}, lambdaContext('crm-test'))).rejects.toThrow('boom');
    expect(flush).toHaveBeenCalledTimes(2);
  });

  it('in an HTTP handler', async () => {
    const flush = vi.spyOn(metrics, 'publishStoredMetrics');
    const response = await docsHandler(
      httpEvent({ routeKey: 'GET /openapi.json' }),
      lambdaContext('crm-docs'),
    );
    expect(response.statusCode).toBe(200);
    expect(flush).toHaveBeenCalledTimes(1);
  });
});
