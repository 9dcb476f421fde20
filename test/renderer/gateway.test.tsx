import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeClient, makeThumbprint } from './fake-client';
import { main, renderApp } from './render-app';

function withTraffic(): FakeClient {
  const client = new FakeClient();
  client.addApi({ id: 'orders', displayName: 'Orders' });
  client.addApi({ id: 'billing', displayName: 'Billing' });
  client.status = { ...client.status, counters: { requests: 1234, errors: 2, inFlight: 1, backendHandshakes: 3 } };
  client.emitTraffic({ requestId: 'r1', apiId: 'orders', path: '/orders/a', status: 200, certificateId: 'client1', thumbprint: makeThumbprint('BEEF'), handshake: 'new' });
  client.emitTraffic({ requestId: 'r2', apiId: 'billing', path: '/billing/b', status: 502, errorCode: 'backend-certificate-rejected' });
  client.emitTraffic({ requestId: 'r3', apiId: 'orders', path: '/orders/c', status: 404 });
  return client;
}

function trafficRows(): HTMLTableRowElement[] {
  const table = within(main()).getByRole('table', { name: 'Live traffic' });
  return within(table).getAllByRole('row').slice(1) as HTMLTableRowElement[];
}

describe('Status bar', () => {
  it("shows the gateway's state and URL", async () => {
    renderApp('#/apis', withTraffic());
    const bar = screen.getByRole('status', { name: 'Gateway status' });
    await waitFor(() => expect(bar.textContent).toContain('Gateway: Running'));
    expect(bar.textContent).toContain('http://127.0.0.1:8787');
  });

  it('says when the gateway is stopped', async () => {
    const client = withTraffic();
    client.status = { ...client.status, state: 'stopped', url: null };
    renderApp('#/apis', client);
    const bar = screen.getByRole('status', { name: 'Gateway status' });
    await waitFor(() => expect(bar.textContent).toContain('Gateway: Stopped'));
    expect(bar.textContent).toContain('not listening');
  });
});

describe('Gateway page', () => {
  it('shows loading, then state, URL and counters', async () => {
    const client = withTraffic();
    const release = client.hold();
    renderApp('#/gateway', client);
    expect((await within(main()).findAllByText('Loading…')).length).toBeGreaterThan(0);
    release();
    const summary = await within(main()).findByRole('region', { name: 'Gateway' });
    expect(within(summary).getByText('Running')).toBeTruthy();
    expect(within(summary).getByText('http://127.0.0.1:8787')).toBeTruthy();
    expect(within(summary).getByText('1,234')).toBeTruthy();
    expect(within(summary).getByText('Back-end TLS handshakes')).toBeTruthy();
  });

  it('shows an error in words when the status cannot be read', async () => {
    const client = withTraffic();
    client.failNext('gateway.status', 'internal', { message: 'TypeError: x is undefined', times: 3 });
    renderApp('#/gateway', client);
    const alert = await within(main()).findByRole('alert');
    expect(alert.textContent).toContain('CertGate hit an unexpected problem. Please report it.');
    expect(alert.textContent).not.toContain('TypeError');
  });

  it('says what to do when there is no traffic yet', async () => {
    const client = new FakeClient();
    renderApp('#/gateway', client);
    expect(await within(main()).findByText(/No calls yet/)).toBeTruthy();
  });

  it('shows live traffic, newest first, and filters by API, status class and errors', async () => {
    const { client, user } = renderApp('#/gateway', withTraffic());
    await within(main()).findByRole('table', { name: 'Live traffic' });
    expect(trafficRows().map((r) => r.cells[2]?.textContent)).toEqual(['/orders/c', '/billing/b', '/orders/a']);
    expect(trafficRows()[2]?.textContent).toContain('…BEEF');
    expect(trafficRows()[1]?.textContent).toContain('backend-certificate-rejected');

    client.emitTraffic({ requestId: 'r4', apiId: 'billing', path: '/billing/live', status: 201 });
    await waitFor(() => expect(trafficRows()[0]?.cells[2]?.textContent).toBe('/billing/live'));

    await user.selectOptions(within(main()).getByLabelText('API'), 'Orders');
    expect(trafficRows().map((r) => r.cells[2]?.textContent)).toEqual(['/orders/c', '/orders/a']);
    await user.selectOptions(within(main()).getByLabelText('Status'), '4xx');
    expect(trafficRows().map((r) => r.cells[2]?.textContent)).toEqual(['/orders/c']);
    await user.selectOptions(within(main()).getByLabelText('API'), 'All APIs');
    await user.selectOptions(within(main()).getByLabelText('Status'), 'All statuses');
    await user.click(within(main()).getByRole('checkbox', { name: 'Errors only' }));
    expect(trafficRows().map((r) => r.cells[2]?.textContent)).toEqual(['/orders/c', '/billing/b']);
    await user.selectOptions(within(main()).getByLabelText('Status'), '2xx');
    expect(within(main()).getByText('No call matches these filters.')).toBeTruthy();
  });

  it('stops listening when the page is left', async () => {
    const { client, unmount } = renderApp('#/gateway', withTraffic());
    await within(main()).findByRole('table', { name: 'Live traffic' });
    expect(client.listenerCount('traffic')).toBeGreaterThan(0);
    unmount();
    expect(client.listenerCount('traffic')).toBe(0);
    expect(client.listenerCount('changes')).toBe(0);
  });
});
