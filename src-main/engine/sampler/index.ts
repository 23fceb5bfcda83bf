// The sampler's public surface: pure modules, no node imports (they run in workers and the browser).
export * from './shape';
export * from './precondition';
export * from './cfg';
export * from './rng';
export * from './select';
export * from './guidance';
export * from './oracle';
export * from './sampler';
export * from './preview';
export * from './euler';
export * from './reference';
