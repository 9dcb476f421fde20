/** Makes the one `CertGateClient` available to the feature hooks. */
import { createContext, useContext, type ReactNode } from 'react';
import type { CertGateClient } from '../../preload/contract/operations';

const ClientContext = createContext<CertGateClient | null>(null);

/** Provide the client (IPC or HTTP in the app, a fake in tests). */
export function ClientProvider(props: { readonly client: CertGateClient; readonly children: ReactNode }) {
  return <ClientContext.Provider value={props.client}>{props.children}</ClientContext.Provider>;
}

/** The client of the nearest `ClientProvider`. */
export function useClient(): CertGateClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a ClientProvider above it.');
  return client;
}
