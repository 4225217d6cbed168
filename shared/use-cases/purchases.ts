import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import { type Purchase, type PurchaseInput, purchaseTotal } from '../domain/purchase.ts';
import { toUtcIso } from '../domain/time.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { getCustomer } from './customers.ts';
import { knownProducts } from './products.ts';

type Deps = Pick<CrmDependencies, 'customers' | 'products' | 'purchases' | 'clock' | 'ids'>;

export const recordPurchase = async (
  deps: Deps,
  principal: Principal,
  input: PurchaseInput,
): Promise<Purchase> => {
  await getCustomer(deps, principal, input.customerId, 'write').catch((error: unknown) => {
    // In a body, an unknown (or someone else's) customer is a bad field, not a missing resource.
    if (error instanceof NotFoundError) throw ValidationError.field('customerId', 'no such customer');
    throw error;
  });
  const products = await knownProducts(deps, input.items);

  const items = input.items.map((item) => {
    const product = products.get(item.sku);
    if (!product) throw new Error('unreachable: unknown skus were rejected above');
    return {
      sku: item.sku,
      quantity: item.quantity,
      unitPrice: item.unitPrice ?? product.price,
      name: product.name,
      category: product.category,
      ...(product.lifespanDays === undefined ? {} : { lifespanDays: product.lifespanDays }),
    };
  });
  const purchase: Purchase = {
    id: deps.ids.next(),
    customerId: input.customerId,
    purchasedAt: toUtcIso(input.purchasedAt),
    ...(input.storeId === undefined ? {} : { storeId: input.storeId }),
    items,
    total: purchaseTotal(items),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.purchases.record(purchase);
  return purchase;
};

export const listCustomerPurchases = async (
  deps: Deps,
  principal: Principal,
  customerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Purchase>> => {
  await getCustomer(deps, principal, customerId);
  return deps.purchases.listByCustomer(customerId, page);
};
