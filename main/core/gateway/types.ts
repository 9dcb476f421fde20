/**
 * What the gateway runs on: routes fully resolved by the core (policy evaluated, certificate key and chain
 * fetched from the vault, CA PEMs looked up). The gateway itself never reads the store or the vault, so it
 * can run in-process (`certgate serve`) or in its own process (the desktop app) from these plain values.
 */

/** One `set-header` policy statement. */
export interface HeaderAction {
  readonly name: string;
  readonly existsAction: 'override' | 'skip' | 'append' | 'delete';
  readonly values: readonly string[];
}

/** The client certificate to present to a back end. */
export interface ClientCertificateMaterial {
  readonly id: string;
  readonly thumbprint: string;
  /** The certificate's version (see Certificate.version), shown in the traffic log. */
  readonly version?: number;
  /** PKCS#8 PEM private key (unencrypted, in memory only). */
  readonly keyPem: string;
  /** The leaf first, then the rest of the chain, PEM. */
  readonly certPem: string;
}

/** One API as the gateway serves it. */
export interface RouteConfig {
  readonly apiId: string;
  /** URL suffix: '' or segments without leading/trailing slash, matched case-insensitively, longest first. */
  readonly path: string;
  readonly serviceUrl: string;
  readonly tls: {
    readonly validateCertificateChain: boolean;
    readonly validateCertificateName: boolean;
    /** Extra trusted CAs (PEM), on top of Node's default roots. */
    readonly caPems: readonly string[];
  };
  readonly clientCertificate: ClientCertificateMaterial | null;
  readonly basicAuth: { readonly username: string; readonly password: string } | null;
  readonly inboundHeaders: readonly HeaderAction[];
  readonly outboundHeaders: readonly HeaderAction[];
  /**
   * The API's operations, each with its own composed policy (certificate, headers). Absent or empty: the API
   * forwards every path. Otherwise a call that matches none is answered 404 `no-operation`.
   */
  readonly operations?: readonly OperationRouteConfig[];
}

/** One operation as the gateway serves it: the API's route with the operation's own credential and headers. */
export interface OperationRouteConfig extends Omit<RouteConfig, 'operations'> {
  readonly operationId: string;
  /** Upper-case method or `*`. */
  readonly method: string;
  readonly urlTemplate: string;
}

/**
 * An API the core could not configure because one of its stored policies does not parse. It keeps its path:
 * its calls are answered with the problem (line and column) instead of falling through to another API.
 */
export interface RouteRefusal {
  readonly apiId: string;
  /** As RouteConfig.path. */
  readonly path: string;
  /** Why: a stored policy that no longer parses (500), or credentials the vault cannot give now (503). */
  readonly code: 'policy-invalid' | 'passphrase-required' | 'keychain-unavailable';
  readonly status: 500 | 503;
  readonly message: string;
}

/** The whole configuration; applying a new one swaps it atomically. */
export interface GatewayConfig {
  readonly routes: readonly RouteConfig[];
  /** APIs that are published but not served (absent: none). */
  readonly refusals?: readonly RouteRefusal[];
}

/** What the core needs from a running gateway, in-process (`certgate serve`) or in another process (the app). */
export interface GatewayDriver {
  /** Swap the configuration: the next request uses it; requests in flight finish on the old agents. */
  apply(config: GatewayConfig): void;
  status(): import('../../../preload/contract').GatewayStatus;
  /** The most recent calls, newest last, at most `limit`. */
  traffic(limit?: number): readonly import('../../../preload/contract').TrafficEntry[];
  /** Listen to each finished call; returns the unsubscribe function. */
  onTraffic(listener: (entry: import('../../../preload/contract').TrafficEntry) => void): () => void;
  /** Send one request through the gateway to an API (the console's Test tab). */
  testCall(input: {
    readonly apiId: string;
    readonly method: string;
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  }): Promise<import('../../../preload/contract').Result<import('../../../preload/contract').TestCallResult>>;
  /** Stop accepting, let requests in flight finish (bounded), close every agent. */
  stop(): Promise<void>;
}
