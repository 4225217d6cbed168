import { describe, expect, it } from 'vitest';
import { canAccessCustomer, ownerScope } from '../../shared/domain/principal.ts';
import { groupsOf, principalFromClaims } from '../../shared/http/auth.ts';

describe('cognito:groups claim', () => {
  it.each([
    [
      ['admin', 'sales'],
      ['admin', 'sales'],
    ],
    ['[admin sales]', ['admin', 'sales']],
    ['["admin","sales"]', ['admin', 'sales']],
    ['admin,sales', ['admin', 'sales']],
    ['[sales]', ['sales']],
    [undefined, []],
    [42, []],
  ])('reads %j', (claim, expected) => {
    expect(groupsOf(claim)).toEqual(expected);
  });

  it('keeps only known roles and needs a sub', () => {
    expect(principalFromClaims({ sub: 'u1', 'cognito:groups': '[sales hackers]' })).toEqual({
      sub: 'u1',
      roles: ['sales'],
    });
    expect(principalFromClaims({ 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims(undefined)).toBeUndefined();
  });
});

describe('customer visibility', () => {
  const sales = { sub: 'u-sales', roles: ['sales' as const] };
  it('confines sales users to their own customers', () => {
    expect(ownerScope(sales, 'read')).toBe('u-sales');
    expect(canAccessCustomer(sales, { ownerId: 'u-sales' }, 'write')).toBe(true);
    expect(canAccessCustomer(sales, { ownerId: 'u-other' }, 'read')).toBe(false);
    expect(canAccessCustomer(sales, {}, 'read')).toBe(false);
  });
  it('lets readers read everything but not write', () => {
    const service = { sub: 'u-svc', roles: ['service' as const] };
    expect(canAccessCustomer(service, { ownerId: 'x' }, 'read')).toBe(true);
    expect(ownerScope(service, 'write')).toBe('u-svc');
    expect(ownerScope({ sub: 'a', roles: ['admin'] }, 'write')).toBeUndefined();
  });
});
