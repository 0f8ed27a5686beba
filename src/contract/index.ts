// Public entry point of the k8s_gateway TypeScript bindings (see README.md).
export * from './types.ts';
export * from './limits.ts';
export * from './bcs.ts';
export * from './body-codec.ts';
export * from './answer-intent.ts';
export * from './request-fields.ts';
export * from './calls.ts';
export * from './aborts.ts';
export * from './confidentiality.ts';
