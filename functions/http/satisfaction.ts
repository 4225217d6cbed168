import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { ok } from '../../shared/http/request.ts';
import { satisfactionSpecs as routes } from '../../shared/http/routes/satisfaction.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

export const satisfactionRoutes = (deps: CrmDependencies) => [
  implement(routes.listSatisfaction, async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    return ok(await deps.surveys.list(filter, { limit, cursor }));
  }),
  implement(routes.satisfactionSummary, async ({ query }) => {
    const { rows, unmatchedReplies } = await deps.surveys.summary(query.groupBy);
    return ok({ items: rows, unmatchedReplies });
  }),
];

export const handler = createHttpHandler(routes, satisfactionRoutes, awsDependencies());
