import type { Page } from '../domain/common.ts';
import { NotFoundError, PreconditionFailedError, ValidationError } from '../domain/errors.ts';
import type { Product, ProductInput } from '../domain/product.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

type Deps = Pick<CrmDependencies, 'products' | 'clock'>;

/**
 * The catalogue's products for a body's `items`, or a 400 naming every `items.N.sku` that is not
 * in the catalogue (purchases and won leads sell only what exists).
 */
export const knownProducts = async (
  deps: Pick<Deps, 'products'>,
  items: readonly { sku: string }[],
): Promise<Map<string, Product>> => {
  const products = await deps.products.getMany([...new Set(items.map((item) => item.sku))]);
  const unknown = items.flatMap((item, index) =>
    products.has(item.sku)
      ? []
      : [{ path: `items.${index}.sku`, message: `no product with sku ${item.sku}` }],
  );
  if (unknown.length > 0)
    throw new ValidationError(unknown, unknown.map((e) => `${e.path}: ${e.message}`).join('; '));
  return products;
};

/** PUT semantics: creates the product or replaces it whole. */
export const putProduct = async (
  deps: Deps,
  sku: string,
  input: ProductInput,
  expectedVersion: number | undefined,
): Promise<{ product: Product; created: boolean }> => {
  const current = await deps.products.get(sku);
  if (expectedVersion !== undefined && current?.version !== expectedVersion) {
    throw new PreconditionFailedError(current?.version ?? 0);
  }
  const now = deps.clock.now().toISOString();
  const product: Product = {
    ...input,
    sku,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    version: (current?.version ?? 0) + 1,
  };
  if (!(await deps.products.put(product, current?.version))) {
    const latest = await deps.products.get(sku);
    throw new PreconditionFailedError(latest?.version ?? 0);
  }
  return { product, created: current === undefined };
};

export const getProduct = async (deps: Pick<Deps, 'products'>, sku: string): Promise<Product> => {
  const product = await deps.products.get(sku);
  if (!product) throw new NotFoundError(`Product ${sku}`);
  return product;
};

export const listProducts = (
  deps: Pick<Deps, 'products'>,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Product>> => deps.products.list(page);
