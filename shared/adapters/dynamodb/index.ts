import type { CrmDependencies } from '../../ports/dependencies.ts';
import { dynamoAutomationRuleRepository } from './automation-rule-repository.ts';
import { dynamoCampaignRepository } from './campaign-repository.ts';
import { dynamoCampaignTallies } from './campaign-tallies.ts';
import { dynamoExposureStore } from './conversion-store.ts';
import { dynamoCustomerRepository } from './customer-repository.ts';
import { dynamoEventCounters } from './event-counters.ts';
import { dynamoFrequencyCap } from './frequency-cap.ts';
import { dynamoIdempotencyStore } from './idempotency-store.ts';
import { dynamoImportRepository } from './import-repository.ts';
import { dynamoItemLoader } from './item-loader.ts';
import { dynamoLeadRepository } from './lead-repository.ts';
import { dynamoMessageLedger } from './message-ledger.ts';
import { dynamoOnceLedger } from './once-ledger.ts';
import { dynamoOpportunityRepository } from './opportunity-repository.ts';
import { dynamoOrderRepository } from './order-repository.ts';
import { dynamoPersonalDataEraser } from './personal-data-eraser.ts';
import { dynamoProductRepository } from './product-repository.ts';
import { dynamoPurchaseRepository } from './purchase-repository.ts';
import { dynamoRepeatPurchaseCounters } from './repeat-purchase-counters.ts';
import { dynamoSalesSettingsStore } from './sales-settings-store.ts';
import { dynamoSuppressionList } from './suppression-list.ts';
import { dynamoSurveyRepository } from './survey-repository.ts';
import type { Table } from './table.ts';
import { dynamoTaskRepository } from './task-repository.ts';
import { dynamoTimelineRepository } from './timeline-repository.ts';
import { dynamoTouchpointRepository } from './touchpoint-repository.ts';

export type Repositories = Pick<
  CrmDependencies,
  | 'customers'
  | 'products'
  | 'purchases'
  | 'timeline'
  | 'opportunities'
  | 'orders'
  | 'tasks'
  | 'automationRules'
  | 'once'
  | 'idempotency'
  | 'campaigns'
  | 'touchpoints'
  | 'messages'
  | 'tallies'
  | 'optOuts'
  | 'frequencyCap'
  | 'surveys'
  | 'eraser'
  | 'leads'
  | 'salesSettings'
  | 'counters'
  | 'repeatPurchases'
  | 'exposures'
  | 'items'
  | 'imports'
>;

/** The DynamoDB adapters; both AWS and the local runtime use them, the latter against DynamoDB Local. */
export const dynamoRepositories = (table: Table): Repositories => ({
  customers: dynamoCustomerRepository(table),
  products: dynamoProductRepository(table),
  purchases: dynamoPurchaseRepository(table),
  timeline: dynamoTimelineRepository(table),
  opportunities: dynamoOpportunityRepository(table),
  orders: dynamoOrderRepository(table),
  tasks: dynamoTaskRepository(table),
  automationRules: dynamoAutomationRuleRepository(table),
  once: dynamoOnceLedger(table),
  idempotency: dynamoIdempotencyStore(table),
  campaigns: dynamoCampaignRepository(table),
  touchpoints: dynamoTouchpointRepository(table),
  messages: dynamoMessageLedger(table),
  tallies: dynamoCampaignTallies(table),
  optOuts: dynamoSuppressionList(table),
  frequencyCap: dynamoFrequencyCap(table),
  surveys: dynamoSurveyRepository(table),
  eraser: dynamoPersonalDataEraser(table),
  leads: dynamoLeadRepository(table),
  salesSettings: dynamoSalesSettingsStore(table),
  counters: dynamoEventCounters(table, () => new Date()),
  repeatPurchases: dynamoRepeatPurchaseCounters(table),
  exposures: dynamoExposureStore(table),
  items: dynamoItemLoader(table),
  imports: dynamoImportRepository(table),
});
