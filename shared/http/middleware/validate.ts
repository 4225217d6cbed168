import type { MiddlewareObj } from '@middy/core';
import { ValidationError } from '../../domain/errors.ts';
import { jsonProblems } from '../../domain/input-limits.ts';
import { fieldErrorsOf } from '../problem.ts';
import type { HttpEvent, HttpResponse } from '../request.ts';
import { parsedOf } from './authorize.ts';

const parse = async (schema: import('zod').ZodType | undefined, value: unknown, prefix: string[]) => {
  if (!schema) return { value: undefined, errors: [] };
  // Async, because some refinements (template syntax) load their checker on first use.
  const result = await schema.safeParseAsync(value);
  return result.success
    ? { value: result.data, errors: [] }
    : { value: undefined, errors: fieldErrorsOf(result.error, prefix) };
};

const parseIfMatch = (header: string | undefined) => {
  if (header === undefined) return { value: undefined, errors: [] };
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match
    ? { value: Number(match[1]), errors: [] }
    : {
        value: undefined,
        errors: [{ path: 'headers.if-match', message: 'must be a version number, e.g. "3"' }],
      };
};

/** Validates path, query and body against the route's zod schemas, and reports every bad field at once. */
export const validate = (): MiddlewareObj<HttpEvent, HttpResponse> => ({
  before: async ({ event }) => {
    const { route } = parsedOf(event);
    const [params, query, body] = await Promise.all([
      parse(route.params, event.pathParameters ?? {}, ['params']),
      parse(route.query, event.queryStringParameters ?? {}, ['query']),
      parse(route.body, parsedOf(event).rawBody, []),
    ]);
    const ifMatch = route.conditional
      ? parseIfMatch(event.headers['if-match'])
      : { value: undefined, errors: [] };
    const text = [
      ...jsonProblems(event.pathParameters ?? {}, { prefix: ['params'] }),
      ...jsonProblems(event.queryStringParameters ?? {}, { prefix: ['query'] }),
    ];
    const errors = [...text, ...params.errors, ...query.errors, ...body.errors, ...ifMatch.errors];
    if (errors.length > 0) {
      throw new ValidationError(errors, errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    }
    Object.assign(parsedOf(event), {
      params: params.value,
      query: query.value,
      body: body.value,
      expectedVersion: ifMatch.value,
    });
  },
});
