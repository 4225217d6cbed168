import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, noContent, ok } from '../../shared/http/request.ts';
import { customersSpecs as routes } from '../../shared/http/routes/customers.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { updateCustomerAndLeads } from '../../shared/use-cases/customer-leads.ts';
import {
  createCustomer,
  customerTimeline,
  deleteCustomer,
  getCustomer,
  listCustomers,
} from '../../shared/use-cases/customers.ts';

export const customerRoutes = (deps: CrmDependencies) => [
  implement(routes.createCustomer, async ({ principal, body }) => {
    const customer = await createCustomer(deps, principal, body);
    return created(customer, { ...etag(customer.version), location: `/customers/${customer.id}` });
  }),
  implement(routes.listCustomers, async ({ principal, query }) =>
    ok(await listCustomers(deps, principal, query)),
  ),
  implement(routes.getCustomer, async ({ principal, params }) => {
    const customer = await getCustomer(deps, principal, params.id);
    return ok(customer, etag(customer.version));
  }),
  implement(routes.updateCustomer, async ({ principal, params, body, expectedVersion }) => {
    const customer = await updateCustomerAndLeads(deps, principal, params.id, body, expectedVersion);
    return ok(customer, etag(customer.version));
  }),
  implement(routes.deleteCustomer, async ({ principal, params }) => {
    await deleteCustomer(deps, principal, params.id);
    return noContent();
  }),
  implement(routes.customerTimeline, async ({ principal, params, query }) =>
    ok(await customerTimeline(deps, principal, params.id, query)),
  ),
];

export const handler = createHttpHandler(routes, customerRoutes, awsDependencies());
