import * as z from 'zod';
import { Id } from '../../domain/common.ts';
import { roles } from '../../domain/principal.ts';

export const everyone = roles;
export const customerReaders = ['admin', 'marketer', 'sales', 'service', 'manager'] as const;
export const customerWriters = ['admin', 'sales'] as const;
export const pipelineReaders = ['admin', 'sales', 'marketer', 'manager'] as const;
export const taskWorkers = ['admin', 'service', 'sales', 'manager'] as const;
export const salesManagers = ['admin', 'manager'] as const;
export const leadReaders = ['admin', 'manager', 'marketer', 'sales'] as const;
export const leadWriters = ['admin', 'manager', 'sales'] as const;
export const salesReportReaders = ['admin', 'manager', 'sales'] as const;
export const reportReaders = ['admin', 'manager', 'marketer'] as const;
export const campaignManagers = ['admin', 'marketer'] as const;
/** Service staff and sales managers see purchases and messages on the timeline, so they may read the routes too. */
export const messageReaders = ['admin', 'marketer', 'service', 'manager'] as const;
export const purchaseReaders = ['admin', 'marketer', 'service', 'manager', 'sales'] as const;
export const IdParams = z.strictObject({ id: Id });
export const TokenParams = z.strictObject({ token: z.string().min(10).max(2000) });
