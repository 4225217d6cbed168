import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/http/openapi.ts';
import { routeKey } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes/index.ts';

describe('OpenAPI document', () => {
  const doc = openApiDocument();

  it('documents every route with its roles and error responses', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(allRoutes.map(routeKey).sort());
    const create = (doc.paths['/customers'] as Record<string, { responses: Record<string, unknown> }>).post;
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422']),
    );
  });

  it('is the committed openapi.json (run `npm run openapi` after changing a schema)', () => {
    const committed = JSON.parse(readFileSync('openapi.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
