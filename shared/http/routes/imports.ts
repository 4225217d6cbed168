import { ImportCreated, ImportJob, ImportRequest } from '../../domain/import.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import { IdParams } from './common.ts';

const importers = ['admin'] as const;

/** The imports function's routes: start an import (get an upload URL), follow its progress. */
export const importsSpecs = {
  createImport: defineRoute({
    method: 'POST',
    path: '/imports',
    group: 'imports',
    operationId: 'createImport',
    summary: 'Start a CSV import of customers or purchases; PUT the file to the returned uploadUrl',
    roles: importers,
    body: ImportRequest,
    success: { status: 201, schema: ImportCreated, description: 'The import, waiting for its file' },
  }),
  getImport: defineRoute({
    method: 'GET',
    path: '/imports/{id}',
    group: 'imports',
    operationId: 'getImport',
    summary: "An import's progress, counts and first errors",
    roles: importers,
    params: IdParams,
    success: { status: 200, schema: ImportJob, description: 'The import job' },
  }),
} satisfies Record<string, RouteSpec>;
