import { describe, expect, it } from 'vitest';
import { CampaignInput, CampaignPatch, campaignIssues } from '../../shared/domain/campaign.ts';
import { contentProblems } from '../../shared/domain/compose-message.ts';

const now = new Date('2026-11-23T00:00:00Z');
const lifecycle = {
  name: 'Renewal',
  kind: 'lifecycle',
  channel: 'sms',
  trigger: { timing: { beforeLifespanEndDays: 14 } },
};
const variants = [
  { name: 'A', weight: 50, message: { body: 'A {{customer.name}}' } },
  { name: 'B', weight: 50, message: { body: 'B {{product.name}}' } },
];

const parse = async (input: object) => {
  const result = await CampaignInput.safeParseAsync(input);
  return result.success
    ? { ok: true as const, value: result.data, issues: campaignIssues(result.data, now) }
    : { ok: false as const, paths: result.error.issues.map((i) => i.path.join('.')) };
};

describe('campaign effectiveness fields', () => {
  it('defaults holdoutPercent to 0 and accepts variants in place of message', async () => {
    const parsed = await parse({
      ...lifecycle,
      variants,
      goal: { purchase: { sameCategory: true }, withinDays: 30 },
    });
    expect(parsed.ok && parsed.value.holdoutPercent).toBe(0);
    expect(parsed.ok && parsed.issues).toEqual([]);
  });

  it.each([
    [{ holdoutPercent: 51 }, 'holdoutPercent'],
    [{ holdoutPercent: 2.5 }, 'holdoutPercent'],
    [{ goal: { purchase: {}, withinDays: 0 } }, 'goal.withinDays'],
    [{ goal: { purchase: {}, withinDays: 366 } }, 'goal.withinDays'],
    [{ goal: { purchase: { skus: [] }, withinDays: 30 } }, 'goal.purchase'],
    [{ goal: { purchase: { sameCategory: false }, withinDays: 30 } }, 'goal.purchase'],
  ])('rejects %j naming %s', async (extra, path) => {
    const parsed = await parse({ ...lifecycle, message: { body: 'hi' }, ...extra });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.paths.some((p) => p.startsWith(path))).toBe(true);
  });

  it('needs two or more variants with unique names and positive integer weights', async () => {
    const one = await parse({ ...lifecycle, variants: variants.slice(0, 1) });
    expect(!one.ok && one.paths).toContain('variants');
    const same = await parse({ ...lifecycle, variants: [variants[0], { ...variants[1], name: 'A' }] });
    expect(!same.ok && same.paths).toContain('variants.1.name');
    const zero = await parse({ ...lifecycle, variants: [variants[0], { ...variants[1], weight: 0 }] });
    expect(!zero.ok && zero.paths).toContain('variants.1.weight');
  });

  it('takes exactly one of message and variants', async () => {
    const both = await parse({ ...lifecycle, message: { body: 'hi' }, variants });
    expect(both.ok && both.issues.map((i) => i.path.join('.'))).toEqual(['variants']);
    const neither = await parse(lifecycle);
    expect(neither.ok && neither.issues.map((i) => i.path.join('.'))).toEqual(['message']);
  });

  it('asks each email variant for a subject, and a broadcast goal for more than sameCategory', async () => {
    const email = await parse({ ...lifecycle, channel: 'email', variants });
    expect(email.ok && email.issues.map((i) => i.path.join('.'))).toEqual([
      'variants.0.message.subject',
      'variants.1.message.subject',
    ]);
    const broadcast = await parse({
      name: 'B',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: '2026-12-01T10:00:00Z' },
      message: { body: 'hi' },
      goal: { purchase: { sameCategory: true }, withinDays: 7 },
    });
    expect(broadcast.ok && broadcast.issues.map((i) => i.path.join('.'))).toEqual([
      'goal.purchase.sameCategory',
    ]);
  });

  it('checks every variant template at save, naming the variant', async () => {
    const problems = await contentProblems({
      name: 'x',
      channel: 'sms',
      survey: false,
      variants: [variants[0], { name: 'B', weight: 1, message: { body: '{{#each}}{{/each}}' } }],
    } as never);
    expect(problems.map((p) => p.path)).toEqual(['variants.1.message.body']);
    const long = await contentProblems({
      name: 'x',
      channel: 'sms',
      survey: false,
      variants: [{ name: 'A', weight: 1, message: { body: 'x'.repeat(1700) } }, variants[1]],
    } as never);
    expect(long.map((p) => p.path)).toEqual(['variants.0.message.body']);
  });

  it('lets a PATCH switch from message to variants by clearing message', async () => {
    const patch = await CampaignPatch.safeParseAsync({
      message: null,
      variants,
      holdoutPercent: 10,
      goal: null,
    });
    expect(patch.success).toBe(true);
  });
});
