// Server templates: the format, the shipped ones, and how a server's environment is built from a template.
export { ALLOWED_CAPABILITIES, type Capability } from './capabilities.ts';
export { loadShippedTemplates, SHIPPED_TEMPLATES_DIR } from './loader.ts';
export { resolveEnv, ServerEnvError, type EnvProblem } from './resolve-env.ts';
export {
  IMAGE_REFERENCE,
  limitsSchema,
  parseTemplate,
  templateSchema,
  TemplateError,
  type EnvRule,
  type Limits,
  type Template,
  type TemplateEnvVar,
  type TemplateInput,
  type TemplatePort,
} from './template.schema.ts';
