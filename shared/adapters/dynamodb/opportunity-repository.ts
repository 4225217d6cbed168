import type { Opportunity } from '../../domain/opportunity.ts';
import type { OpportunityRepository } from '../../ports/repositories.ts';
import { entityStore } from './entity-store.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

export const dynamoOpportunityRepository = (table: Table): OpportunityRepository => {
  const store = entityStore<Opportunity>(table, 'opportunity', (o) =>
    keys.ofCustomer(o.customerId, 'opportunity', o.id),
  );
  return {
    ...store,
    list: ({ customerId }, page) =>
      customerId
        ? store.query(
            { index: 'gsi1', partition: keys.ofCustomerPartition(customerId), beginsWith: 'OPPORTUNITY#' },
            page,
          )
        : store.query({ index: 'gsi2', partition: keys.typePartition('opportunity') }, page),
  };
};
