import type { Campaign, MessageTemplate } from './campaign.ts';
import type { Customer } from './customer.ts';
import type { Product } from './product.ts';
import type { Purchase } from './purchase.ts';
import { smsBody } from './sms-text.ts';
import { surveyScaleOf } from './survey.ts';
import { oneLine, renderedProblems, renderTemplate } from './templates.ts';

/** What is rendered: the campaign's message, or the message of the customer's variant. */
type Content = Pick<Campaign, 'name' | 'channel' | 'survey'> & { message: MessageTemplate };

export interface MessageContext {
  customer: Customer;
  product?: Product | undefined;
  purchase?: Purchase | undefined;
  unsubscribeUrl: string;
}

/** A template failed to render; `path` names the campaign field it came from. */
export class RenderError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`${path} cannot be rendered: ${(cause as Error).message.split('\n')[0]}`);
  }
}

const render = async (path: string, source: string, context: Record<string, unknown>) => {
  try {
    return await renderTemplate(source, context);
  } catch (error) {
    throw new RenderError(path, error);
  }
};

/** Only the customer's own interests, in the order the campaign lists them. */
const interestAdvice = async (content: Content, customer: Customer, context: Record<string, unknown>) => {
  const blocks: string[] = [];
  for (const [interest, advice] of Object.entries(content.message.byInterest ?? {})) {
    if (customer.interests.includes(interest))
      blocks.push(await render(`message.byInterest.${interest}`, advice, context));
  }
  return blocks.join('\n\n');
};

/** Whether the message needs an unsubscribe link: every email does, an SMS only if its template asks. */
export const needsUnsubscribeLink = (content: Content) =>
  content.channel === 'email' || JSON.stringify(content.message).includes('unsubscribeUrl');

/** A mustache that can reach the whole context (this, a lone dot, @root, ..) or look a name up. */
const REACHES_ANYTHING = /\bthis\b|@root|\.\.|(^|[\s(])\.($|[\s)])|\blookup\b/;

/**
 * Whether the campaign's templates may read `product` or `purchase`, so delivery loads them only
 * then: a mustache that names either, or one that can reach the whole context. Cautious on
 * purpose: a false "yes" costs two reads, a false "no" would render blanks.
 */
export const readsPurchaseContext = (content: Content): boolean =>
  [
    content.message.body,
    content.message.subject ?? '',
    ...Object.values(content.message.byInterest ?? {}),
  ].some((source) =>
    [...source.matchAll(/\{\{([^}]*)\}\}/g)].some(([, inside = '']) => {
      const mustache = inside.replace(/^[{~]+|~$/g, '').trim();
      return /\b(product|purchase)\b/.test(mustache) || REACHES_ANYTHING.test(mustache);
    }),
  );

/**
 * The text a campaign sends one customer: its templates rendered over the customer, product and
 * purchase, a survey's question or a marketing SMS's opt-out line, an email's unsubscribe line, a
 * one-line subject.
 * Throws RenderError naming the template that could not be rendered.
 */
export const composeMessage = async (
  content: Content,
  context: MessageContext,
): Promise<{ subject?: string; body: string }> => {
  const base = { ...context };
  const values = { ...base, interestAdvice: await interestAdvice(content, context.customer, base) };
  let body = (await render('message.body', content.message.body, values)).trim();
  // A survey says how to answer on its scale; marketing SMS ends with the opt-out instruction (customer's locale).
  if (content.channel === 'sms') body = smsBody(body, surveyScaleOf(content.survey), context.customer.locale);
  if (content.channel === 'email') body = `${body}\n\nUnsubscribe: ${context.unsubscribeUrl}`;
  if (content.channel !== 'email') return { body };
  const subject = content.message.subject
    ? oneLine(await render('message.subject', content.message.subject, values))
    : content.name;
  return { subject, body };
};

const sample: MessageContext = {
  customer: {
    id: '01SAMPLECUSTOMER0000000000',
    name: 'Li Lei',
    email: 'li.lei@example.com',
    phone: '+8613800138000',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    region: 'Beijing',
    industry: 'IT',
    interests: [],
    household: [{ relation: 'child', interests: ['swimming'] }],
    consent: { email: true, sms: true },
    tags: ['vip'],
    attributes: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  } as unknown as Customer,
  product: {
    sku: 'PADDLE-PRO',
    name: 'Pro paddle',
    category: 'table-tennis',
    lifespanDays: 180,
    careTips: 'Wipe the rubber after play.',
    price: 399,
  } as unknown as Product,
  purchase: {
    id: '01SAMPLEPURCHASE0000000000',
    customerId: '01SAMPLECUSTOMER0000000000',
    purchasedAt: '2026-11-22T02:00:00.000Z',
    storeId: 'bj-01',
    items: [{ sku: 'PADDLE-PRO', quantity: 1, unitPrice: 399 }],
    total: 399,
  } as unknown as Purchase,
  unsubscribeUrl: 'https://crm.example.com/unsubscribe/sample-token',
};

/**
 * Save-time check of one message: renders it for a sample customer (with every interest it has
 * advice for) and reports what could not be rendered or renders over the channel's limits.
 */
const messageProblems = async (content: Content): Promise<{ path: string; message: string }[]> => {
  const customer = { ...sample.customer, interests: Object.keys(content.message.byInterest ?? {}) };
  try {
    return renderedProblems(content.channel, await composeMessage(content, { ...sample, customer }));
  } catch (error) {
    if (error instanceof RenderError) return [{ path: error.path, message: error.message }];
    // A template that blows the stack or the heap is as unusable as one that does not parse.
    return [
      { path: 'message.body', message: `cannot be rendered: ${(error as Error).message.split('\n')[0]}` },
    ];
  }
};

/**
 * Save-time check of a campaign's templates: its message, or every variant's message (paths then
 * start with `variants.<index>.`).
 */
export const contentProblems = async (
  campaign: Pick<Campaign, 'name' | 'channel' | 'survey' | 'message' | 'variants'>,
): Promise<{ path: string; message: string }[]> => {
  const problems: { path: string; message: string }[] = [];
  if (campaign.message) problems.push(...(await messageProblems({ ...campaign, message: campaign.message })));
  for (const [index, variant] of (campaign.variants ?? []).entries()) {
    for (const problem of await messageProblems({ ...campaign, message: variant.message }))
      problems.push({ ...problem, path: `variants.${index}.${problem.path}` });
  }
  return problems;
};
