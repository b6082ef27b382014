/**
 * The JSON Schema of tuning specs: spec.ts validates with it, the spec editor's hover and completion
 * (specEditing/specSchemaHelp.ts) read it, and scripts/build.mjs ships it as dist/schemas/tune.schema.json
 * for VS Code's JSON and YAML validation. A bundle of its own in the extension host
 * (dist/lazy-spec-schema.js, scripts/bundles.mjs), so the host holds one copy whichever engine asks.
 */
import schema from './tune.schema.json';

export const TUNE_SCHEMA = schema;
