import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern, patternErrors } from '../../shared/domain/event-pattern.ts';

// The sample event and patterns of AWS's "Content filtering in Amazon EventBridge event patterns".
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 7,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    FileName: 'photo.png',
    alias: 'bob',
    responseElements: null,
    eventVersion: '',
    tags: ['blue', 'green'],
  },
};

const cases: [string, EventPattern, boolean][] = [
  ['exact source', { source: ['aws.ec2'] }, true],
  ['exact, one of several', { detail: { state: ['running', 'terminated'] } }, true],
  ['exact miss', { source: ['aws.s3'] }, false],
  [
    'array value matches any element',
    { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
    true,
  ],
  ['array value, element list', { detail: { tags: ['green'] } }, true],
  ['null matches null', { detail: { responseElements: [null] } }, true],
  ['empty string matches empty string', { detail: { eventVersion: [''] } }, true],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix miss', { time: [{ prefix: '2017-10-02' }] }, false],
  ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 instance' } }] }, true],
  ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, true],
  ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, true],
  ['suffix miss', { detail: { FileName: [{ suffix: '.txt' }] } }, false],
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but string miss', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 123 }] } }, true],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
  ['anything-but list miss', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but prefix miss', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
  ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
  [
    'anything-but ignoring case',
    { detail: { alias: [{ 'anything-but': { 'equals-ignore-case': ['Bob', 'Alice'] } }] } },
    false,
  ],
  ['anything-but on a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric less than', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, true],
  ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
  ['numeric miss', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
  ['numeric on a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr miss', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists false on a missing field', { detail: { 'no-such': [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists true on a missing field', { detail: { 'no-such': [{ exists: true }] } }, false],
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    true,
  ],
  ['wildcard', { detail: { FileName: [{ wildcard: 'ph*.png' }] } }, true],
  ['wildcard miss', { detail: { FileName: [{ wildcard: 'dir/*.png' }] } }, false],
  ['wildcard with escaped star', { detail: { FileName: [{ wildcard: 'photo\\*.png' }] } }, false],
  [
    '$or, one branch matches',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    },
    true,
  ],
  [
    '$or, no branch matches',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { state: ['running'] }] } },
    false,
  ],
  ['AND across keys', { source: ['aws.ec2'], detail: { state: ['running'] } }, false],
  ['type matters: "5" is not 5', { detail: { 'c-count': ['5'] } }, false],
];

describe('EventBridge pattern matching', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, ec2Event)).toBe(expected);
  });

  it('matches nested attributes of CRM entities', () => {
    const customer = {
      region: 'Beijing',
      attributes: { registeredCapital: 60_000_000, headcount: 120, channel: 'social-media' },
    };
    expect(
      matchesPattern(
        {
          attributes: {
            registeredCapital: [{ numeric: ['>', 50_000_000] }],
            headcount: [{ numeric: ['>', 100] }],
            channel: ['social-media'],
          },
        },
        customer,
      ),
    ).toBe(true);
    expect(matchesPattern({ attributes: { headcount: [{ numeric: ['>', 200] }] } }, customer)).toBe(false);
  });
});

describe('pattern validation', () => {
  it('names the bad part of a pattern', () => {
    expect(patternErrors({ region: 'Beijing' })).toEqual([
      { path: 'region', message: expect.stringContaining('list') },
    ]);
    expect(patternErrors({ amount: [{ numeric: ['>>', 1] }] })[0]?.path).toBe('amount.0');
    expect(patternErrors({ a: [{ regex: 'x' }] })[0]?.message).toMatch(/unknown matcher/);
    expect(patternErrors({ $or: [{ a: ['x'] }] })[0]?.path).toBe('$or');
    expect(
      patternErrors({ region: ['Beijing'], attributes: { n: [{ numeric: ['>=', 1, '<', 5] }] } }),
    ).toEqual([]);
  });
});

describe('arrays of objects (EventBridge flattens arrays)', () => {
  const customer = {
    household: [
      { relation: 'spouse', interests: ['hiking'] },
      { relation: 'child', interests: ['swimming'] },
    ],
  };

  it('looks inside the objects of an array', () => {
    expect(matchesPattern({ household: { interests: ['swimming'] } }, customer)).toBe(true);
    expect(matchesPattern({ household: { relation: ['child'] } }, customer)).toBe(true);
    expect(matchesPattern({ household: { interests: ['chess'] } }, customer)).toBe(false);
  });

  it('takes the fields of one sub-pattern from the same element', () => {
    expect(matchesPattern({ household: { relation: ['child'], interests: ['swimming'] } }, customer)).toBe(
      true,
    );
    expect(matchesPattern({ household: { relation: ['child'], interests: ['hiking'] } }, customer)).toBe(
      false,
    );
  });
});
