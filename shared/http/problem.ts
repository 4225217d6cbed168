import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { AppError, type FieldError } from '../domain/errors.ts';
import { logger } from '../observability.ts';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const joinPath = (path: PropertyKey[]) => path.map(String).join('.') || '(body)';

/** One entry per bad field; an unknown field is named by its own path, e.g. items.0.colour. */
export const fieldErrorsOf = (error: z.ZodError, prefix: PropertyKey[] = []): FieldError[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: joinPath([...prefix, ...issue.path, key]),
          message: 'is not a known field',
        }))
      : [{ path: joinPath([...prefix, ...issue.path]), message: issue.message }],
  );

/** The one error mapper: every failure leaves an HTTP function as RFC 9457 problem+json, and a 5xx never leaks internals. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof AppError) {
    return {
      type: `/problems/${slug(error.title)}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  logger.error('unhandled error', { error: error as Error });
  return {
    type: '/problems/internal-server-error',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side. Please retry; if it persists, contact support.',
  };
};

export const problemResponse = (problem: Problem): APIGatewayProxyStructuredResultV2 => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify(problem),
});
