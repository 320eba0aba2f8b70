// Generates the OpenAPI 3.1 document from the route declarations and their zod schemas.
import { z } from 'zod';
import type { AnyRoute } from './route.ts';
import { errorSchema } from './schemas.ts';

type Mounted = { prefix: string; routes: readonly AnyRoute[] };

const toJson = (schema: z.ZodType, io: 'input' | 'output') => {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

function parameters(route: AnyRoute): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

function security(route: AnyRoute): unknown {
  if ('public' in route.access) return [];
  return [{ session: [] }, { bearer: [] }];
}

export function buildOpenApi(mounted: readonly Mounted[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { prefix, routes } of mounted) {
    for (const route of routes) {
      const path = `${prefix}${route.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const access = route.access;
      const responses: Record<string, unknown> = {};
      for (const [status, spec] of Object.entries(route.responses)) {
        responses[status] = spec.schema
          ? { description: spec.description, content: { 'application/json': { schema: toJson(spec.schema, 'output') } } }
          : { description: spec.description };
      }
      responses.default = { description: 'Error', content: { 'application/json': { schema: toJson(errorSchema, 'output') } } };
      (paths[path] ??= {})[route.method.toLowerCase()] = {
        summary: route.summary,
        tags: [route.tag],
        operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        'x-aether-access': 'public' in access ? 'public' : 'authenticated' in access ? 'authenticated' : access.scope,
        security: security(route),
        parameters: parameters(route),
        ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(route.body, 'input') } } } } : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Aether Panel API', version, description: 'Every action of the web UI is available here. Mutating requests with a session cookie need X-CSRF-Token.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: '__Host-aether_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}
