import * as z from 'zod';
import { MAX_BODY_BYTES } from './middleware/json-body.ts';
import { Problem } from './problem.ts';
import type { RouteSpec } from './route-spec.ts';
import { allRoutes } from './routes/index.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problemContent = { 'application/problem+json': { schema: ref('Problem') } };

const errorResponses = (route: RouteSpec) => ({
  ...(route.body || route.query || route.params
    ? { 400: { description: 'Invalid input; `errors` names each bad field', content: problemContent } }
    : {}),
  ...(route.public
    ? {}
    : {
        401: { description: 'Missing or invalid bearer token', content: problemContent },
        403: { description: 'Your role may not call this route', content: problemContent },
      }),
  ...(route.params ? { 404: { description: 'Not found (or not yours)', content: problemContent } } : {}),
  ...(route.method === 'POST'
    ? {
        409: {
          description: 'A request with the same Idempotency-Key is still running',
          content: problemContent,
        },
        422: { description: 'The Idempotency-Key was used with a different body', content: problemContent },
      }
    : {}),
  ...(route.conditional
    ? { 412: { description: 'If-Match names a stale version', content: problemContent } }
    : {}),
  ...(route.body
    ? {
        413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes`, content: problemContent },
        415: { description: 'The body is not application/json', content: problemContent },
      }
    : {}),
});

const parameters = (route: RouteSpec, schemas: Map<z.ZodType, JsonSchema>) => {
  const fromSchema = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    const json = schema ? schemas.get(schema) : undefined;
    return Object.entries(json?.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json?.required ?? []).includes(name),
      schema: property,
    }));
  };
  const headers = [
    ...(route.method === 'POST'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
          },
        ]
      : []),
    ...(route.conditional
      ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }]
      : []),
  ];
  return [...fromSchema(route.params, 'path'), ...fromSchema(route.query, 'query'), ...headers];
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
const buildDocument = () => {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  const register = (schema: z.ZodType | undefined, fallbackId: string) => {
    if (!schema || idOf.has(schema)) return;
    const id = z.globalRegistry.get(schema)?.id ?? fallbackId;
    idOf.set(schema, id);
    registry.add(schema, { id });
  };
  for (const [id, schema] of z.globalRegistry._idmap) register(schema as z.ZodType, id);
  register(Problem, 'Problem');
  for (const route of allRoutes) {
    register(route.body, `${route.operationId}Body`);
    register(route.success.schema, `${route.operationId}Response`);
  }
  const components = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(components.schemas)) {
    delete (schema as JsonSchema).$id;
    delete (schema as JsonSchema).$schema;
  }
  const inline = new Map<z.ZodType, JsonSchema>();
  for (const route of allRoutes) {
    for (const schema of [route.query, route.params]) {
      if (schema)
        inline.set(schema, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
    }
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of allRoutes) {
    const successId = route.success.schema ? idOf.get(route.success.schema) : undefined;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.group],
      description: `Roles: ${route.roles.join(', ')}.`,
      security: route.public ? [] : [{ bearer: [] }],
      parameters: parameters(route, inline),
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: ref(idOf.get(route.body) as string) } },
            },
          }
        : {}),
      responses: {
        [route.success.status]: {
          description: route.success.description,
          ...(successId ? { content: { 'application/json': { schema: ref(successId) } } } : {}),
          ...(route.html ? { content: { 'text/html': { schema: { type: 'string' } } } } : {}),
        },
        ...errorResponses(route),
        500: {
          description: 'Unexpected failure; details are logged, never returned',
          content: problemContent,
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Lifecycle CRM API',
      version: '0.1.0',
      description: 'Customers, products and purchases of a serverless CRM. Errors are RFC 9457 problem+json.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: components.schemas,
    },
    security: [{ bearer: [] }],
    paths,
  };
};

let built: ReturnType<typeof buildDocument> | undefined;

/** Built on first use and kept: the document only changes with a deployment. */
export const openApiDocument = () => {
  built ??= buildDocument();
  return built;
};
