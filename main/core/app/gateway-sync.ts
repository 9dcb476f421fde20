import type { GatewayDriver } from '../gateway/types';
import type { GatewayConfigBuilder, RouteProblem } from '../services/gateway-config';

/**
 * Keeps a gateway in step with the store: every committed change rebuilds the configuration and applies
 * it. Rebuilds run one at a time and coalesce: many changes in a burst cost one more rebuild, not many.
 */
export class GatewaySync {
  readonly #builder: GatewayConfigBuilder;
  #driver: GatewayDriver | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #problems: readonly RouteProblem[] = [];

  constructor(builder: GatewayConfigBuilder) {
    this.#builder = builder;
  }

  /** The gateway being fed, if any. */
  get driver(): GatewayDriver | null {
    return this.#driver;
  }

  /** APIs the last rebuild could not configure, and why. */
  get problems(): readonly RouteProblem[] {
    return this.#problems;
  }

  /** Start feeding a gateway (the current configuration is applied at once). */
  attach(driver: GatewayDriver | null): Promise<void> {
    this.#driver = driver;
    return this.request();
  }

  /** Ask for a rebuild; resolves once a rebuild that started after this call has been applied. */
  request(): Promise<void> {
    if (!this.#driver) return Promise.resolve();
    // A running loop sees the flag and builds once more before it settles.
    this.#again = true;
    this.#running ??= this.#run();
    return this.#running;
  }

  async #run(): Promise<void> {
    try {
      while (this.#again) {
        this.#again = false;
        const { config, problems } = await this.#builder.build();
        this.#problems = problems;
        this.#driver?.apply(config);
      }
    } finally {
      // Cleared in the same step as the last look at the flag: no request can fall in between.
      this.#running = null;
    }
  }
}
