import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsUploads } from '../../shared/composition/aws-capabilities.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, ok } from '../../shared/http/request.ts';
import { importsSpecs as routes } from '../../shared/http/routes/imports.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { createImport, getImport } from '../../shared/use-cases/imports.ts';

export const importRoutes = (deps: CrmDependencies) => [
  implement(routes.createImport, async ({ body }) => {
    const job = await createImport(deps, body);
    return created(job, { location: `/imports/${job.id}` });
  }),
  implement(routes.getImport, async ({ params }) => ok(await getImport(deps, params.id))),
];

export const handler = createHttpHandler(routes, importRoutes, awsDependencies({ uploads: awsUploads }));
