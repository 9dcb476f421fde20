/** Types of scripts/check-packaging.mjs, for the tests that import its checks. */
export function validateBuilderConfig(configPath?: string): { config: Record<string, unknown>; errors: string[] };
export function checkPackagingRules(config: Record<string, unknown>): string[];
export function buildApp(): { ok: boolean; output: string };
export function checkBuildOutputs(root?: string): string[];
export function makeStubElectronDist(dir: string): string;
export function packageLinuxDir(workDir: string): { ok: boolean; output: string; appDir: string };
export function checkPackage(appDir: string, config: Record<string, unknown>): string[];
export function runtimeImports(dir: string): string[];
