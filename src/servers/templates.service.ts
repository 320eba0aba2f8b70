// Server templates: the shipped ones (templates/*.json, read at start) and those administrators add through the API,
// every one checked against the same whitelist before use.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { loadShippedTemplates, parseTemplate, type Template } from './templates/index.ts';

export type TemplateInfo = Template & { source: 'shipped' | 'custom' };

export type TemplatesService = ReturnType<typeof createTemplatesService>;

export function createTemplatesService(deps: { db: Db; clock: Clock; audit: AuditService; shippedDir?: string }) {
  const { db, clock, audit } = deps;
  const shipped = new Map(loadShippedTemplates(deps.shippedDir).map((t) => [t.id, t]));

  async function custom(): Promise<Template[]> {
    const rows = (await db('server_templates').select('id', 'definition')) as Array<{ id: string; definition: string }>;
    return rows.map((r) => parseTemplate(JSON.parse(r.definition), `template ${r.id}`));
  }

  return {
    async list(): Promise<TemplateInfo[]> {
      const own = await custom();
      return [...[...shipped.values()].map((t) => ({ ...t, source: 'shipped' as const })), ...own.map((t) => ({ ...t, source: 'custom' as const }))].sort((a, b) =>
        a.id.localeCompare(b.id),
      );
    },
    async get(id: string): Promise<Template> {
      const s = shipped.get(id);
      if (s) return s;
      const r = (await db('server_templates').where({ id }).first('definition')) as { definition: string } | undefined;
      if (!r) throw notFound('Template');
      return parseTemplate(JSON.parse(r.definition), `template ${id}`);
    },
    /** Adds an administrator's template; anything outside the whitelist is refused with the reason. */
    async create(caller: Caller, json: unknown): Promise<Template> {
      // A template outside the whitelist is a TemplateError: 400 invalid_template naming the field and why.
      const template = parseTemplate(json, 'the template');
      if (shipped.has(template.id) || (await db('server_templates').where({ id: template.id }).first('id'))) {
        throw conflict('template_exists', `A template with the id "${template.id}" exists already.`);
      }
      const now = clock.now();
      await db('server_templates').insert({ id: template.id, definition: JSON.stringify(json), created_by: caller.actor?.name ?? caller.system ?? null, created_at: now, updated_at: now });
      await audit.record({ type: 'server.template.created', ...auditFrom(caller), target: { type: 'template', id: template.id, name: template.name }, outcome: 'success', details: { image: template.image } });
      return template;
    },
  };
}
