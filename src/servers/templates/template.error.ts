// The error of a template that cannot be used: it names where the template came from, its id, the field and why.
import { AppError } from '../../shared/errors.ts';

export class TemplateError extends AppError {
  readonly source: string;
  readonly templateId: string | null;
  /** The field, e.g. "env.2.rule.pattern"; "" for the template as a whole. */
  readonly path: string;
  readonly reason: string;

  constructor(source: string, templateId: string | null, path: ReadonlyArray<PropertyKey>, reason: string) {
    const field = path.map(String).join('.');
    const who = templateId === null ? 'template' : `template ${JSON.stringify(templateId)}`;
    super(400, 'invalid_template', `${source}: ${who}: ${field === '' ? '' : `${field}: `}${reason}`, {
      details: { source, template: templateId, path: field, reason },
    });
    this.name = 'TemplateError';
    this.source = source;
    this.templateId = templateId;
    this.path = field;
    this.reason = reason;
  }
}
