import { beforeAll, describe, expect, it } from 'vitest';
import { AutomationRuleInput } from '../../shared/domain/automation-rule.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import type { BusEvent, Cause } from '../../shared/events/domain-event.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { createRule } from '../../shared/use-cases/automation-rules.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { loopReason, runAutomation } from '../../shared/use-cases/run-automation.ts';
import { freshTable } from '../support/table.ts';

let deps: CrmDependencies;
let outbox: Awaited<ReturnType<typeof freshTable>>['outbox'];

beforeAll(async () => {
  ({ deps, outbox } = await freshTable());
});

const busEvent = (
  type: string,
  entity: Record<string, unknown>,
  eventId: string,
  cause?: Cause,
): BusEvent => ({
  version: '0',
  id: `bus-${Math.random()}`,
  'detail-type': type,
  source: 'crm',
  account: '1',
  time: '2026-11-22T02:00:00.000Z',
  region: 'local',
  resources: [],
  detail: { eventId, entity, changed: Object.keys(entity), ...(cause ? { cause } : {}) },
});

describe('automation under at-least-once delivery', () => {
  it('sends one notification and creates one task and one order however often an event arrives', async () => {
    const customer = await createCustomer(
      deps,
      { sub: 'a', roles: ['admin'] },
      CustomerInput.parse({ name: 'Twice', ownerId: 'u-1' }),
    );
    await createRule(
      deps,
      await AutomationRuleInput.parseAsync({
        name: 'won',
        on: 'opportunity.updated',
        when: { stage: ['won'] },
        do: [
          {
            type: 'notify',
            channel: 'email',
            to: 'boss@example.com',
            message: 'Won {{entity.title}} for {{customer.name}}',
          },
          { type: 'createTask', title: 'Thank {{customer.name}}' },
          { type: 'createOrder' },
        ],
      }),
    );
    const opportunity = {
      id: '01JD0000000000000000000000',
      customerId: customer.id,
      title: 'Tables',
      amount: 100,
      stage: 'won',
      createdAt: '2026-11-22T01:00:00.000Z',
    };
    const event = busEvent('opportunity.updated', opportunity, 'stream-event-1');
    const results = await Promise.all([
      runAutomation(deps, event),
      runAutomation(deps, { ...event, id: 'again' }),
    ]);
    await runAutomation(deps, event);

    expect(outbox.list({ to: 'boss@example.com' }).map((m) => m.body)).toEqual(['Won Tables for Twice']);
    const tasks = await deps.tasks.list({ customerId: customer.id }, { limit: 10 });
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0]).toMatchObject({ title: 'Thank Twice', assigneeId: 'u-1', status: 'open' });
    const orders = await deps.orders.list({ customerId: customer.id }, { limit: 10 });
    expect(orders.items).toHaveLength(1);
    const actionResults = results.flat().flatMap((run) => run.actions.map((a) => a.result));
    expect(actionResults.filter((r) => r === 'done')).toHaveLength(3);
  });

  it('a notification whose send failed is sent by the redelivery, not recorded as sent', async () => {
    const customer = await createCustomer(
      deps,
      { sub: 'a', roles: ['admin'] },
      CustomerInput.parse({ name: 'Flaky mail', region: 'Notify-retry' }),
    );
    await createRule(
      deps,
      await AutomationRuleInput.parseAsync({
        name: 'notify on region',
        on: 'customer.created',
        when: { region: ['Notify-retry'] },
        do: [{ type: 'notify', channel: 'email', to: 'desk@example.com', message: 'New: {{entity.name}}' }],
      }),
    );
    const event = busEvent('customer.created', { ...customer }, 'stream-event-notify');
    const mailer = deps.mailer;
    deps.mailer = {
      send: async () => {
        throw new Error('SES throttled');
      },
    };
    await expect(runAutomation(deps, event)).rejects.toThrow(/automation failed/);
    deps.mailer = mailer;
    expect(outbox.list({ to: 'desk@example.com' })).toHaveLength(0);
    await runAutomation(deps, event);
    await runAutomation(deps, event);
    expect(outbox.list({ to: 'desk@example.com' }).map((m) => m.body)).toEqual(['New: Flaky mail']);
  });

  it('stops a chain of automated changes at the depth limit', () => {
    const rule = { id: 'r2' } as never;
    expect(loopReason(rule, undefined)).toBeUndefined();
    expect(loopReason(rule, { ruleId: 'r1', eventId: 'e', depth: 2 })).toBeUndefined();
    expect(loopReason(rule, { ruleId: 'r1', eventId: 'e', depth: 3 })).toMatch(/limit/);
    expect(loopReason(rule, { ruleId: 'r2', eventId: 'e', depth: 1 })).toMatch(/this rule/);
  });
});
