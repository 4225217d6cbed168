import type { Page } from '../domain/common.ts';
import type { Activity, Lead, SalesSettings } from '../domain/lead.ts';
import type { Order } from '../domain/order.ts';
import type { Task } from '../domain/task.ts';
import type { Cause } from '../events/domain-event.ts';
import type { PageRequest } from './repositories.ts';

/**
 * Everything one change to a lead writes, committed in one transaction: the lead (conditional on
 * its version, or on not existing), new activities, created or replaced tasks, and an order.
 */
export interface LeadChange {
  previous?: Lead;
  next: Lead;
  activities?: Activity[];
  tasks?: { previous?: Task; next: Task }[];
  order?: Order;
  cause?: Cause;
}

export interface LeadRepository {
  get(id: string): Promise<Lead | undefined>;
  /** False when the lead's version moved on (or it exists already), and nothing was written. */
  commit(change: LeadChange): Promise<boolean>;
  list(
    filter: { holder?: string | undefined; grade?: string | undefined; status?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Lead>>;
  activities(leadId: string, page: PageRequest): Promise<Page<Activity>>;
  /** The ids of every lead about a customer, open or closed (also after the customer is deleted). */
  idsOfCustomer(customerId: string): Promise<string[]>;
  /** Open, owned leads of a grade whose staleness clock started before `before`, oldest first. */
  staleCandidates(grade: string, before: string, page: PageRequest): Promise<Page<Lead>>;
}

export interface SalesSettingsStore {
  /** The stored settings, or the contract's default ladder. */
  get(): Promise<SalesSettings>;
  put(settings: SalesSettings): Promise<void>;
}
