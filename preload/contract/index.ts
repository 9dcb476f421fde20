/**
 * The whole contract in one import, for main (core, CLI, shell), which loads zod anyway. The preload and the
 * renderer import the part they need (`result`, `model`, `operations`) instead: lint holds them to it, so the
 * schemas never reach their bundles.
 */
export * from './result';
export * from './model';
export * from './operations';
export * from './schemas';
