import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/adapters/dynamodb/cursor.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { PurchaseInput, purchaseTotal } from '../../shared/domain/purchase.ts';
import { fieldErrorsOf, toProblem } from '../../shared/http/problem.ts';

describe('purchase total', () => {
  it('sums in cents so floating point does not drift', () => {
    expect(
      purchaseTotal([
        { quantity: 3, unitPrice: 0.1 },
        { quantity: 1, unitPrice: 0.2 },
      ]),
    ).toBe(0.5);
    expect(purchaseTotal([{ quantity: 2, unitPrice: 399 }])).toBe(798);
  });
});

describe('validation errors name the field', () => {
  it('names nested paths and unknown fields', () => {
    const result = PurchaseInput.safeParse({
      customerId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      purchasedAt: '2026-11-22T10:00:00',
      items: [
        { sku: 'OK', quantity: 1 },
        { sku: '', quantity: 0, colour: 'red' },
      ],
    });
    expect(result.success).toBe(false);
    const paths = fieldErrorsOf(result.error ?? (undefined as never)).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['purchasedAt', 'items.1.sku', 'items.1.quantity', 'items.1.colour']),
    );
  });

  it('applies defaults: consent false, empty lists', () => {
    const parsed = CustomerInput.parse({ name: 'Li Lei' });
    expect(parsed.consent).toEqual({ email: false, sms: false });
    expect(parsed.interests).toEqual([]);
  });
});

describe('problem mapper', () => {
  it('exposes 4xx details', () => {
    const problem = toProblem(ValidationError.field('items.0.sku', 'no product'));
    expect(problem).toMatchObject({ status: 400, errors: [{ path: 'items.0.sku', message: 'no product' }] });
  });
  it('never leaks a 5xx', () => {
    const problem = toProblem(new Error('connect ECONNREFUSED 10.0.0.1:8000 secret-table'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret-table');
  });
});

describe('cursor', () => {
  it('round-trips and rejects forgeries', () => {
    const secret = Buffer.from('k'.repeat(32));
    const query = {
      TableName: 't',
      IndexName: 'gsi2',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeValues: { ':pk': 'TYPE#customer' },
    };
    const key = { pk: 'CUSTOMER#1', sk: 'PROFILE' };
    const cursor = encodeCursor(secret, query, key) as string;
    expect(decodeCursor(secret, query, cursor)).toEqual(key);
    expect(() => decodeCursor(secret, query, 'not-a-cursor')).toThrow(ValidationError);
    expect(() => decodeCursor(secret, query, Buffer.from('{"pk":{"S":1}}').toString('base64url'))).toThrow(
      ValidationError,
    );
    // An edited key keeps the old signature; a cursor from another list does not fit this one.
    const [, signature] = cursor.split('.');
    const edited = `${Buffer.from('{"pk":"CUSTOMER#2","sk":"PROFILE"}').toString('base64url')}.${signature}`;
    expect(() => decodeCursor(secret, query, edited)).toThrow(ValidationError);
    const otherList = { ...query, ExpressionAttributeValues: { ':pk': 'OWNER#u-a' } };
    expect(() => decodeCursor(secret, otherList, cursor)).toThrow(ValidationError);
    expect(() => decodeCursor(Buffer.from('x'.repeat(32)), query, cursor)).toThrow(ValidationError);
  });
});
