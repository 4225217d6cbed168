import { describe, expect, it } from 'vitest';
import { customerRoutes } from '../../functions/http/customers.ts';
import { docsRoutes } from '../../functions/http/docs.ts';
import { productRoutes } from '../../functions/http/products.ts';
import { purchaseRoutes } from '../../functions/http/purchases.ts';
import { routeKey } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

describe('route table', () => {
  it('has exactly one implementation per declared route, in the declared function', () => {
    const deps = {} as CrmDependencies;
    const implemented = [
      ...customerRoutes(deps),
      ...productRoutes(deps),
      ...purchaseRoutes(deps),
      ...docsRoutes(),
    ];
    expect(implemented.map((impl) => routeKey(impl.spec)).sort()).toEqual(allRoutes.map(routeKey).sort());
    for (const impl of customerRoutes(deps)) expect(impl.spec.group).toBe('customers');
    for (const impl of productRoutes(deps)) expect(impl.spec.group).toBe('products');
    for (const impl of purchaseRoutes(deps)) expect(impl.spec.group).toBe('purchases');
  });
});
