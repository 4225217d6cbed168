import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { ConflictError, UnprocessableError, ValidationError } from '../../domain/errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdempotencyStore } from '../../ports/repositories.ts';
import type { HttpEvent, HttpResponse } from '../request.ts';
import { parsedOf } from './authorize.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Key order does not make two bodies different. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

type Claimed = { idempotencyScope?: string };

/**
 * Idempotency-Key on POST: the same key and body replays the first response, another body is 422,
 * and a request still running is 409. Failures release the key so the client may retry.
 */
export const idempotency = (
  deps: () => { idempotency: IdempotencyStore; clock: Clock },
): MiddlewareObj<HttpEvent, HttpResponse> => ({
  before: async (request) => {
    const { event } = request;
    const key = event.headers['idempotency-key'];
    if (parsedOf(event).route.method !== 'POST' || key === undefined) return;
    if (!KEY.test(key))
      throw ValidationError.field('headers.idempotency-key', 'must be 1-255 visible ASCII characters');
    const { idempotency: store, clock } = deps();
    const { principal } = parsedOf(event);
    // The role is part of the scope: a response made for one role is never replayed to another.
    const roles = [...principal.roles].sort().join('+');
    const scope = `${principal.sub}:${roles}:${event.routeKey}:${event.rawPath}:${key}`;
    const fingerprint = createHash('sha256')
      .update(canonical(parsedOf(event).body ?? null))
      .digest('base64url');
    const claim = await store.claim(scope, fingerprint, clock.now());
    switch (claim.state) {
      case 'claimed':
        (request.internal as Claimed).idempotencyScope = scope;
        return;
      case 'completed':
        return { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true' } };
      case 'mismatch':
        throw new UnprocessableError('This Idempotency-Key was already used with a different body.');
      case 'in-progress':
        throw new ConflictError(
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        );
    }
  },
  after: async (request) => {
    const scope = (request.internal as Claimed).idempotencyScope;
    const response = request.response;
    if (!scope || !response) return;
    const { idempotency: store, clock } = deps();
    await store.complete(
      scope,
      {
        statusCode: response.statusCode ?? 200,
        headers: (response.headers ?? {}) as Record<string, string>,
        body: response.body ?? '',
      },
      clock.now(),
    );
  },
  onError: async (request) => {
    const scope = (request.internal as Claimed).idempotencyScope;
    if (scope) await deps().idempotency.release(scope);
  },
});
