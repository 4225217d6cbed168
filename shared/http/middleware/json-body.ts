import type { MiddlewareObj } from '@middy/core';
import {
  type FieldError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../domain/errors.ts';
import { jsonProblems } from '../../domain/input-limits.ts';
import type { HttpEvent, HttpResponse } from '../request.ts';
import { parsedOf } from './authorize.ts';

export const MAX_BODY_BYTES = 256 * 1024;

const describe = (problems: FieldError[]) => problems.map((e) => `${e.path}: ${e.message}`).join('; ');

const isJson = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());

/** Size (413), media type (415) and JSON syntax (400), for routes that take a body. */
export const jsonBody = (): MiddlewareObj<HttpEvent, HttpResponse> => ({
  before: ({ event }) => {
    if (!parsedOf(event).route.body) return;
    const raw = event.body ?? '';
    const bytes = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    if (parsedOf(event).route.bodyOptional && raw.trim() === '') {
      parsedOf(event).rawBody = {};
      return;
    }
    if (!isJson(event.headers['content-type'])) throw new UnsupportedMediaTypeError();
    const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (text.trim() === '') throw ValidationError.field('(body)', 'a JSON body is required');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw ValidationError.field('(body)', `is not valid JSON: ${(error as Error).message}`);
    }
    // Depth, storable numbers and well-formed text, for every field, before any schema walks it.
    const problems = jsonProblems(body);
    if (problems.length > 0) throw new ValidationError(problems, describe(problems));
    parsedOf(event).rawBody = body;
  },
});
