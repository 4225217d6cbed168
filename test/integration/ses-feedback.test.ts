import { beforeAll, describe, expect, it } from 'vitest';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { handleSesFeedback } from '../../shared/use-cases/ses-feedback.ts';
import { freshTable } from '../support/table.ts';

let deps: CrmDependencies;
beforeAll(async () => {
  ({ deps } = await freshTable());
});

const event = (detailType: string, detail: Record<string, unknown>) => ({
  'detail-type': detailType,
  time: '2026-11-22T02:00:00Z',
  detail: { mail: { messageId: 'ses-1', tags: { customerId: ['01JCUSTOMER000000000000000'] } }, ...detail },
});

describe('SES bounce and complaint events', () => {
  it('suppresses a permanently bounced address and puts it on the customer timeline', async () => {
    const suppressed = await handleSesFeedback(
      deps,
      event('Email Bounced', {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Li@Example.com' }] },
      }),
    );
    expect(suppressed).toEqual(['li@example.com']);
    expect(await deps.optOuts.isOptedOut('email', 'li@example.com')).toBe(true);
    const timeline = await deps.timeline.list('01JCUSTOMER000000000000000', { limit: 10 });
    expect(timeline.items[0]).toMatchObject({
      type: 'email-feedback',
      data: { kind: 'bounce', address: 'li@example.com' },
    });
  });

  it('suppresses on a complaint, ignores a transient bounce, and is idempotent', async () => {
    const complaint = event('Email Complaint Received', {
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }] },
    });
    await handleSesFeedback(deps, complaint);
    await handleSesFeedback(deps, complaint);
    expect(await deps.optOuts.isOptedOut('email', 'angry@example.com')).toBe(true);
    const transient = event('Email Bounced', {
      eventType: 'Bounce',
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full@example.com' }] },
    });
    expect(await handleSesFeedback(deps, transient)).toEqual([]);
    expect(await deps.optOuts.isOptedOut('email', 'full@example.com')).toBe(false);
    const timeline = await deps.timeline.list('01JCUSTOMER000000000000000', { limit: 10 });
    expect(timeline.items.filter((e) => e.data.kind === 'complaint')).toHaveLength(1);
  });
});
