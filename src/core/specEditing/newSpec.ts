/**
 * Writing a new tuning spec ("New Tuning Spec"): the starter spec of a script or an objective module,
 * and the spec written for a script's own scikit-learn search. One engine bundle (dist/lazy-new-spec.js),
 * loaded when the command runs.
 */
export { starterSpec, type StarterSpec } from './specTemplate';
export { specFromSearch, type SearchSpec, type SearchSpecInput } from './specFromSearch';
