/**
 * The JSON Schema of tuning specs: spec.ts validates with it, the spec editor's hover and completion
 * (runView/specSchemaHelp.ts) read it, and scripts/build.mjs ships it as dist/schemas/tune.schema.json
 * for VS Code's JSON and YAML validation. Owned by dist/core-shared.js (core/shared.ts), so the
 * extension host holds one copy whichever lazy engine asks.
 */
import schema from './tune.schema.json';

export const TUNE_SCHEMA = schema;
