import {
  AutomationRule,
  AutomationRuleInput,
  AutomationRulePatch,
  RuleRun,
} from '../../domain/automation-rule.ts';
import { ListQuery, page } from '../../domain/common.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { IdParams } from './common.ts';

/** The automation function's routes. */
export const automationSpecs = {
  createRule: defineRoute({
    method: 'POST',
    path: '/automation-rules',
    group: 'automation',
    operationId: 'createAutomationRule',
    summary: 'Create an automation rule: event + condition + actions',
    roles: ['admin'],
    body: AutomationRuleInput,
    success: { status: 201, schema: AutomationRule, description: 'The created rule' },
  }),
  listRules: defineRoute({
    method: 'GET',
    path: '/automation-rules',
    group: 'automation',
    operationId: 'listAutomationRules',
    summary: 'List automation rules',
    roles: ['admin'],
    query: ListQuery,
    success: { status: 200, schema: page(AutomationRule), description: 'A page of rules' },
  }),
  getRule: defineRoute({
    method: 'GET',
    path: '/automation-rules/{id}',
    group: 'automation',
    operationId: 'getAutomationRule',
    summary: 'Get an automation rule',
    roles: ['admin'],
    params: IdParams,
    success: { status: 200, schema: AutomationRule, description: 'The rule' },
  }),
  updateRule: defineRoute({
    method: 'PATCH',
    path: '/automation-rules/{id}',
    group: 'automation',
    operationId: 'updateAutomationRule',
    summary: 'Change or disable an automation rule',
    roles: ['admin'],
    params: IdParams,
    body: AutomationRulePatch,
    conditional: true,
    success: { status: 200, schema: AutomationRule, description: 'The updated rule' },
  }),
  deleteRule: defineRoute({
    method: 'DELETE',
    path: '/automation-rules/{id}',
    group: 'automation',
    operationId: 'deleteAutomationRule',
    summary: 'Delete an automation rule',
    roles: ['admin'],
    params: IdParams,
    success: { status: 204, description: 'Deleted' },
  }),
  listRuleRuns: defineRoute({
    method: 'GET',
    path: '/automation-rules/{id}/runs',
    group: 'automation',
    operationId: 'listAutomationRuleRuns',
    summary: 'What the rule fired on, newest first, and with what result',
    roles: ['admin'],
    params: IdParams,
    query: ListQuery,
    success: { status: 200, schema: page(RuleRun), description: 'A page of runs' },
  }),
} satisfies Record<string, RouteSpec>;
