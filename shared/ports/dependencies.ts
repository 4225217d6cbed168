import type {
  CampaignRepository,
  CampaignTallies,
  FrequencyCap,
  MessageLedger,
  TouchpointRepository,
} from './campaign-repositories.ts';
import type { Clock, Ids } from './clock.ts';
import type { EventCounters } from './event-counters.ts';
import type { EventPublisher, ItemLoader } from './event-publisher.ts';
import type { ExposureStore } from './exposures.ts';
import type { BulkQueue, ImportRepository, UploadStore } from './imports.ts';
import type { LeadRepository, SalesSettingsStore } from './lead-repository.ts';
import type { Mailer, SmsSender } from './messaging.ts';
import type { PushSecrets } from './push-secrets.ts';
import type { RepeatPurchaseCounters } from './repeat-purchases.ts';
import type {
  AutomationRuleRepository,
  CustomerRepository,
  IdempotencyStore,
  OnceLedger,
  OpportunityRepository,
  OrderRepository,
  PersonalDataEraser,
  ProductRepository,
  PurchaseRepository,
  TaskRepository,
  TimelineRepository,
} from './repositories.ts';
import type { Scheduler } from './scheduler.ts';
import type { SuppressionList } from './suppressions.ts';
import type { SurveyRepository } from './survey-repository.ts';
import type { TokenSigner } from './token-signer.ts';

export interface Settings {
  defaultTimezone: string;
  /** ISO 3166 country used to read phone numbers written without a country code; unset means "reject them". */
  defaultPhoneCountry?: string | undefined;
  /** Where the API is reachable from outside, for links in messages (unsubscribe). */
  publicBaseUrl: string;
}

/**
 * Everything the use cases need, assembled by one composition root per environment. Use cases
 * take a Pick of it, so each states exactly what it touches.
 */
export interface CrmDependencies {
  customers: CustomerRepository;
  products: ProductRepository;
  purchases: PurchaseRepository;
  timeline: TimelineRepository;
  opportunities: OpportunityRepository;
  orders: OrderRepository;
  tasks: TaskRepository;
  automationRules: AutomationRuleRepository;
  once: OnceLedger;
  campaigns: CampaignRepository;
  touchpoints: TouchpointRepository;
  messages: MessageLedger;
  tallies: CampaignTallies;
  /** The suppression list (SMS opt-outs, unsubscribes, bounces, complaints, manual entries). */
  optOuts: SuppressionList;
  frequencyCap: FrequencyCap;
  scheduler: Scheduler;
  signer: TokenSigner;
  surveys: SurveyRepository;
  eraser: PersonalDataEraser;
  idempotency: IdempotencyStore;
  leads: LeadRepository;
  salesSettings: SalesSettingsStore;
  /** Report counters kept by event consumers (deduplicated by event id). */
  counters: EventCounters;
  /** Repeat purchases of reminded and held-out customers, per month (kept from the stream). */
  repeatPurchases: RepeatPurchaseCounters;
  /** Customers' exposures to campaigns, which purchases convert (issue 13). */
  exposures: ExposureStore;
  events: EventPublisher;
  /** Loads the entity of an event published by reference (too big for PutEvents). */
  items: ItemLoader;
  mailer: Mailer;
  sms: SmsSender;
  /** Only the functions behind a provider's push route have it. */
  pushSecrets?: PushSecrets;
  clock: Clock;
  ids: Ids;
  settings: Settings;
  imports: ImportRepository;
  /** Uploaded import files (S3 in AWS). */
  uploads: UploadStore;
  /** Chunks of imports and backfills, continued until done (SQS in AWS). */
  bulk: BulkQueue;
}
