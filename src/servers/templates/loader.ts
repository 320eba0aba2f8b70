// Loads the shipped templates (templates/*.json): each must parse, and no two files may use the same id.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate, TemplateError, type Template } from './template.schema.ts';

/** The templates shipped with the panel (never edited by admins; theirs are created through the API). */
export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

/** Every template of a directory, in file name order; the first bad file stops loading with a TemplateError. */
export function loadShippedTemplates(dir: string = SHIPPED_TEMPLATES_DIR): Template[] {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const byId = new Map<string, { file: string; template: Template }>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new TemplateError(file, null, [], `not valid JSON (${(err as Error).message})`);
    }
    const template = parseTemplate(json, file);
    const seen = byId.get(template.id);
    if (seen) throw new TemplateError(file, template.id, ['id'], `"${template.id}" is already the id of ${seen.file}`);
    byId.set(template.id, { file, template });
  }
  return [...byId.values()].map((t) => t.template);
}
