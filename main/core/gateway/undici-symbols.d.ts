/** undici's internal symbols (lib/core/symbols.js, no types of its own): only those h1-rules.ts reads. */
declare module 'undici/lib/core/symbols.js' {
  const symbols: {
    readonly kParser: symbol;
    readonly kQueue: symbol;
    readonly kRunning: symbol;
    readonly kRunningIdx: symbol;
  };
  export default symbols;
}
