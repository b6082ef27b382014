// What the bundled-host tests reach: the tuning glue's engine adapter and the lazy engine entry points.
export { engineRunSource } from '../../../src/tuning/engineAdapter';
export * as engines from '../../../src/lazyEngines';
