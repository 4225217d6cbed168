import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsSigner } from '../../shared/composition/aws-capabilities.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { ok } from '../../shared/http/request.ts';
import { unsubscribeSpecs as routes } from '../../shared/http/routes/unsubscribe.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { confirmUnsubscribe, unsubscribePage } from '../../shared/use-cases/unsubscribe.ts';

export const unsubscribeRoutes = (deps: CrmDependencies) => [
  implement(routes.unsubscribePage, async ({ params }) => ok(await unsubscribePage(deps, params.token))),
  implement(routes.unsubscribe, async ({ params }) => ok(await confirmUnsubscribe(deps, params.token))),
];

export const handler = createHttpHandler(routes, unsubscribeRoutes, awsDependencies({ signer: awsSigner }));
