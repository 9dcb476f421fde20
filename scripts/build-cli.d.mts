/** Where the built CLI goes, and its entry file. */
export declare const CLI_OUT_DIR: string;
export declare const CLI_ENTRY: string;
export declare const CLI_META: string;
/** Build the CLI into out/cli; returns esbuild's metafile. */
export declare function buildCli(options?: { quiet?: boolean }): Promise<import('esbuild').Metafile>;
