import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, ok } from '../../shared/http/request.ts';
import { productsSpecs as routes } from '../../shared/http/routes/products.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { getProduct, listProducts, putProduct } from '../../shared/use-cases/products.ts';

export const productRoutes = (deps: CrmDependencies) => [
  implement(routes.putProduct, async ({ params, body, expectedVersion }) => {
    const { product, created: isNew } = await putProduct(deps, params.sku, body, expectedVersion);
    return isNew ? created(product, etag(product.version)) : ok(product, etag(product.version));
  }),
  implement(routes.getProduct, async ({ params }) => {
    const product = await getProduct(deps, params.sku);
    return ok(product, etag(product.version));
  }),
  implement(routes.listProducts, async ({ query }) => ok(await listProducts(deps, query))),
];

export const handler = createHttpHandler(routes, productRoutes, awsDependencies());
