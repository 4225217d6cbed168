import { describe, expect, it } from 'vitest';
import { customerFromRow, purchaseFromRow } from '../../shared/domain/csv-rows.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';

describe('CSV rows as API input', () => {
  it('reads dotted columns as nested fields, | as lists, and leaves empty cells out', () => {
    const input = customerFromRow({
      externalId: 'M1',
      name: 'Li Lei',
      'consent.sms': 'yes',
      'consent.email': 'FALSE',
      interests: 'table-tennis| swimming |',
      'attributes.card': 'gold',
      email: '',
      tags: '',
    });
    expect(input).toEqual({
      externalId: 'M1',
      name: 'Li Lei',
      consent: { sms: true, email: false },
      interests: ['table-tennis', 'swimming'],
      attributes: { card: 'gold' },
    });
    expect(CustomerInput.safeParse(input).success).toBe(true);
  });

  it('leaves what is not a boolean or a known column for the schema to name', () => {
    const result = CustomerInput.safeParse(
      customerFromRow({ name: 'X', 'consent.sms': 'maybe', colour: 'red' }),
    );
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) =>
      i.code === 'unrecognized_keys' ? i.keys[0] : i.path.join('.'),
    );
    expect(paths?.sort()).toEqual(['colour', 'consent.sms']);
  });

  it('reads a purchase row: the first customer column given, numbers as numbers, unknown columns listed', () => {
    expect(
      purchaseFromRow({
        externalId: 'R1',
        customerExternalId: '',
        phone: '13800138000',
        purchasedAt: '2026-06-01T10:00:00+08:00',
        sku: 'PADDLE',
        quantity: '2',
        unitPrice: '',
        storeId: 'S1',
        note: 'x',
      }),
    ).toEqual({
      externalId: 'R1',
      customer: { by: 'phone', value: '13800138000' },
      purchasedAt: '2026-06-01T10:00:00+08:00',
      storeId: 'S1',
      item: { sku: 'PADDLE', quantity: 2 },
      unknownColumns: ['note'],
    });
    expect(purchaseFromRow({ quantity: 'two', unitPrice: '1.5' }).item).toEqual({
      sku: '',
      quantity: 'two',
      unitPrice: 1.5,
    });
  });
});
