import { describe, expect, it } from 'vitest';
import { interestAdvice, renderPreview } from '../../console/src/preview.ts';

const scope = {
  customer: { name: 'Li Lei', interests: ['table-tennis'], household: [] as unknown[] },
  product: { name: 'Pro paddle', careTips: 'Keep it dry.' },
  items: [{ sku: 'A' }, { sku: 'B' }],
};

describe('the console message preview', () => {
  it('fills paths, triple braces and leaves unknown paths empty', () => {
    expect(renderPreview('{{customer.name}}, your {{{product.name}}}{{product.missing}}.', scope)).toBe(
      'Li Lei, your Pro paddle.',
    );
  });

  it('renders if/else, unless and each, nested, and drops comments', () => {
    const template =
      '{{! hidden }}{{#if customer.household}}family{{else}}solo{{#unless product.missing}} ok{{/unless}}{{/if}}: {{#each items}}[{{sku}}{{#if sku}}!{{/if}}]{{/each}}';
    expect(renderPreview(template, scope)).toBe('solo ok: [A!][B!]');
  });

  it('gives interest advice only for the customer’s own interests, in the campaign’s order', () => {
    const byInterest = {
      mountaineering: 'Check your rope.',
      'table-tennis': 'Replace the rubber.',
      swimming: 'x',
    };
    expect(interestAdvice(byInterest, ['swimming', 'table-tennis'])).toBe('Replace the rubber.\n\nx');
  });
});
