import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, noContent, ok } from '../../shared/http/request.ts';
import { suppressionsSpecs as routes } from '../../shared/http/routes/suppressions.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { addSuppression, listSuppressions, removeSuppression } from '../../shared/use-cases/suppressions.ts';

export const suppressionRoutes = (deps: CrmDependencies) => [
  implement(routes.listSuppressions, async ({ query }) => ok(await listSuppressions(deps, query))),
  implement(routes.addSuppression, async ({ principal, body }) => {
    const { entry, created: isNew } = await addSuppression(deps, principal, body);
    return isNew ? created(entry) : ok(entry);
  }),
  implement(routes.removeSuppression, async ({ params }) => {
    await removeSuppression(deps, params.channel, params.address);
    return noContent();
  }),
];

export const handler = createHttpHandler(routes, suppressionRoutes, awsDependencies());
