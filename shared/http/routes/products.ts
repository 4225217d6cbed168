import { ListQuery, page } from '../../domain/common.ts';
import { Product, ProductInput, ProductParams } from '../../domain/product.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { everyone } from './common.ts';

/** The products function's routes. */
export const productsSpecs = {
  putProduct: defineRoute({
    method: 'PUT',
    path: '/products/{sku}',
    group: 'products',
    operationId: 'putProduct',
    summary: 'Create or replace a product',
    roles: ['admin'],
    params: ProductParams,
    body: ProductInput,
    conditional: true,
    success: { status: 200, schema: Product, description: 'The product (201 when it was created)' },
  }),
  getProduct: defineRoute({
    method: 'GET',
    path: '/products/{sku}',
    group: 'products',
    operationId: 'getProduct',
    summary: 'Get a product',
    roles: everyone,
    params: ProductParams,
    success: { status: 200, schema: Product, description: 'The product' },
  }),
  listProducts: defineRoute({
    method: 'GET',
    path: '/products',
    group: 'products',
    operationId: 'listProducts',
    summary: 'List products',
    roles: everyone,
    query: ListQuery,
    success: { status: 200, schema: page(Product), description: 'A page of products' },
  }),
} satisfies Record<string, RouteSpec>;
