import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { customerRoutes } from '../functions/http/customers.ts';
import { purchaseRoutes } from '../functions/http/purchases.ts';
import type { RunningDynamo } from '../infra/local/dynamodb.ts';
import { keys } from '../shared/adapters/dynamodb/keys.ts';
import { CustomerInput } from '../shared/domain/customer.ts';
import { createHttpHandler } from '../shared/http/handler.ts';
import { customersSpecs } from '../shared/http/routes/customers.ts';
import { purchasesSpecs } from '../shared/http/routes/purchases.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { putProduct } from '../shared/use-cases/products.ts';
import { benchDeps, httpEvent, lambdaContext } from './setup.ts';
import { fmt, median, percentile, ratio, type Section } from './stats.ts';

const time = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/** Runs the operation and its baseline alternately, so drift on the machine hits both alike. */
const compare = async (
  iterations: number,
  operation: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
) => {
  for (let i = 0; i < 20; i++) {
    await operation();
    await baseline();
  }
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < iterations; i++) {
    ours.push(await time(operation));
    base.push(await time(baseline));
  }
  return { ours, base };
};

export const requestOverhead = async (dynamo: RunningDynamo, iterations = 300): Promise<Section> => {
  const { deps, table } = await benchDeps(dynamo);
  const { client, name } = table;
  await putProduct(
    deps,
    'PADDLE',
    { name: 'Paddle', category: 'table-tennis', lifespanDays: 180, price: 399 },
    undefined,
  );
  const customer = await createCustomer(
    deps,
    { sub: 'u-admin', roles: ['admin'] },
    CustomerInput.parse({ name: 'Bench' }),
  );
  const customers = createHttpHandler(customersSpecs, customerRoutes, () => deps);
  const purchases = createHttpHandler(purchasesSpecs, purchaseRoutes, () => deps);

  const getCustomer = await compare(
    iterations,
    async () => {
      const response = await customers(
        httpEvent('GET /customers/{id}', {
          path: `/customers/${customer.id}`,
          pathParameters: { id: customer.id },
        }) as never,
        lambdaContext,
      );
      if (response.statusCode !== 200) throw new Error(`GET customer: ${response.statusCode}`);
    },
    () => client.send(new GetCommand({ TableName: name, Key: keys.customer(customer.id) })),
  );

  const purchase = {
    customerId: customer.id,
    purchasedAt: '2026-11-22T10:00:00+08:00',
    items: [{ sku: 'PADDLE', quantity: 1 }],
  };
  const recordPurchase = await compare(
    iterations,
    async () => {
      const response = await purchases(
        httpEvent('POST /purchases', { path: '/purchases', body: purchase }) as never,
        lambdaContext,
      );
      if (response.statusCode !== 201)
        throw new Error(`POST purchase: ${response.statusCode} ${response.body}`);
    },
    async () => {
      // The least a purchase needs: read the customer and the product, then write the purchase and the running total together.
      await client.send(new GetCommand({ TableName: name, Key: keys.customer(customer.id) }));
      await client.send(
        new BatchGetCommand({ RequestItems: { [name]: { Keys: [keys.product('PADDLE')] } } }),
      );
      const id = ulid();
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: name,
                Key: keys.customer(customer.id),
                UpdateExpression: 'SET totalSales = totalSales + :t',
                ExpressionAttributeValues: { ':t': 399 },
              },
            },
            { Put: { TableName: name, Item: { ...keys.purchase(customer.id, id), id, total: 399 } } },
          ],
        }),
      );
    },
  );

  const row = (label: string, r: { ours: number[]; base: number[] }) => [
    label,
    `${fmt(median(r.ours), 2)} ms`,
    `${fmt(median(r.base), 2)} ms`,
    `${fmt(ratio(median(r.ours), median(r.base)), 2)}×`,
    `${fmt(percentile(r.ours, 99), 2)} ms`,
    `${fmt(percentile(r.base, 99), 2)} ms`,
    `${fmt(ratio(percentile(r.ours, 99), percentile(r.base, 99)), 2)}×`,
    ratio(median(r.ours), median(r.base)) <= 1.3 ? 'met' : 'missed',
  ];
  return {
    title: 'Request overhead (in-process API Gateway v2 events, DynamoDB Local)',
    rows: [
      [
        'operation',
        'median',
        'baseline median',
        'ratio',
        'p99',
        'baseline p99',
        'p99 ratio',
        'median ≤ 1.3×',
      ],
      row('GET /customers/{id}', getCustomer),
      row('POST /purchases', recordPurchase),
    ],
    notes: [
      `${iterations} iterations each after 20 warm-up rounds, operation and baseline alternating.`,
      'Baseline: the raw DynamoDB calls the operation minimally needs, issued by the same document client (GET: one GetItem; POST: GetItem customer, BatchGetItem products, one TransactWriteItems).',
    ],
  };
};
