import { customerRoutes } from '../../functions/http/customers.ts';
import { docsRoutes } from '../../functions/http/docs.ts';
import { productRoutes } from '../../functions/http/products.ts';
import { purchaseRoutes } from '../../functions/http/purchases.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import type { HttpEvent, HttpResponse } from '../../shared/http/request.ts';
import type { FunctionGroup } from '../../shared/http/route-spec.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { lambdaContext } from './lambda-event.ts';

export type Invoke = (event: HttpEvent) => Promise<HttpResponse>;

/** The same handlers Lambda runs, each wired to the local composition root instead of the AWS one. */
export const localHttpFunctions = (deps: CrmDependencies): Record<FunctionGroup, Invoke> => {
  const wrap =
    (group: FunctionGroup, handler: ReturnType<typeof createHttpHandler>): Invoke =>
    (event) =>
      handler(event, lambdaContext(`crm-${group}`)) as Promise<HttpResponse>;
  return {
    customers: wrap(
      'customers',
      createHttpHandler('customers', customerRoutes, () => deps),
    ),
    products: wrap(
      'products',
      createHttpHandler('products', productRoutes, () => deps),
    ),
    purchases: wrap(
      'purchases',
      createHttpHandler('purchases', purchaseRoutes, () => deps),
    ),
    docs: wrap(
      'docs',
      createHttpHandler('docs', docsRoutes, () => ({})),
    ),
  };
};
