/**
 * The messages between the main process and the gateway's utility process. The main process sends
 * start / apply / testCall / stop; the gateway answers requests by id and pushes its status and batches of
 * traffic entries. Both sides check the shape of what they receive: a message is data, not a promise.
 */
import type { GatewayStatus, Result, TestCallResult, TrafficEntry } from '../../preload/contract';
import type { GatewayConfig, GatewayDriver } from '../core/gateway/types';

/** How the gateway in the utility process listens. */
export interface GatewayHostOptions {
  readonly host: string;
  readonly port: number;
  readonly backendTimeoutMs: number;
}

/** One test call's input, as `GatewayDriver.testCall` takes it. */
export type TestCallInput = Parameters<GatewayDriver['testCall']>[0];

/** Main process → gateway process. */
export type ToGateway =
  | { readonly type: 'start'; readonly options: GatewayHostOptions }
  | { readonly type: 'apply'; readonly config: GatewayConfig }
  | { readonly type: 'testCall'; readonly id: number; readonly input: TestCallInput }
  | { readonly type: 'stop'; readonly id: number };

/** Gateway process → main process. */
export type FromGateway =
  | { readonly type: 'started'; readonly result: Result<{ readonly url: string }>; readonly status: GatewayStatus }
  | { readonly type: 'status'; readonly status: GatewayStatus }
  | { readonly type: 'traffic'; readonly entries: readonly TrafficEntry[]; readonly status: GatewayStatus }
  | { readonly type: 'testCallResult'; readonly id: number; readonly result: Result<TestCallResult> }
  | { readonly type: 'stopped'; readonly id: number };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isResult(value: unknown): boolean {
  if (!isObject(value)) return false;
  return value.ok === true ? 'value' in value : value.ok === false && isObject(value.error) && typeof value.error.code === 'string';
}

function isStatus(value: unknown): value is GatewayStatus {
  return isObject(value) && typeof value.state === 'string' && isObject(value.counters) && Array.isArray(value.routes);
}

/** Check a message from the main process. */
export function isToGateway(message: unknown): message is ToGateway {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'start': {
      const o = message.options;
      return isObject(o) && typeof o.host === 'string' && isId(o.port) && isId(o.backendTimeoutMs);
    }
    case 'apply':
      return isObject(message.config) && Array.isArray(message.config.routes);
    case 'testCall':
      return isId(message.id) && isObject(message.input) && typeof message.input.apiId === 'string';
    case 'stop':
      return isId(message.id);
    default:
      return false;
  }
}

/** Check a message from the gateway process. */
export function isFromGateway(message: unknown): message is FromGateway {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'started':
      return isResult(message.result) && isStatus(message.status);
    case 'status':
      return isStatus(message.status);
    case 'traffic':
      return Array.isArray(message.entries) && isStatus(message.status);
    case 'testCallResult':
      return isId(message.id) && isResult(message.result);
    case 'stopped':
      return isId(message.id);
    default:
      return false;
  }
}
