import type { MiddlewareObj } from '@middy/core';
import { problemResponse, toProblem } from '../problem.ts';
import type { HttpResponse } from '../request.ts';

/** Registered first so its onError runs last: whatever was thrown leaves as problem+json. */
export const problemDetails = (): MiddlewareObj<unknown, HttpResponse> => ({
  onError: (request) => {
    request.response = problemResponse(toProblem(request.error));
  },
});
