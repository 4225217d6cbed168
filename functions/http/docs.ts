import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { ok } from '../../shared/http/request.ts';
import { docsSpecs as routes } from '../../shared/http/routes/docs.ts';

export const docsRoutes = () => [implement(routes.openapi, async () => ok(openApiDocument()))];

export const handler = createHttpHandler(routes, docsRoutes, () => ({}));
