/**
 * Route matching microbenchmark: 200 APIs x 20 operations each (literal, parameter, query and wildcard
 * templates, mixed methods), one API match then one operation match per call, over a rotating set of request
 * targets. Prints the median ns per call of several runs, and the one-API case (no operations) beside it.
 *
 *   npx tsx bench/route-bench.ts [runs=7]
 */
import { compileOperations, matchOperation, type OperationTable } from '../main/core/gateway/route-table';
import { compileRoutes, matchRoute } from '../main/core/gateway/router';

interface Op {
  readonly id: string;
  readonly method: string;
  readonly urlTemplate: string;
}

interface Api {
  readonly path: string;
  readonly ops: OperationTable<Op> | null;
}

const TEMPLATES = [
  ['GET', '/orders'],
  ['POST', '/orders'],
  ['GET', '/orders/{orderId}'],
  ['PUT', '/orders/{orderId}'],
  ['DELETE', '/orders/{orderId}'],
  ['POST', '/orders/{orderId}/refund'],
  ['GET', '/orders/{orderId}/lines/{lineId}'],
  ['GET', '/orders/special'],
  ['GET', '/customers'],
  ['GET', '/customers/{customerId}'],
  ['PATCH', '/customers/{customerId}'],
  ['GET', '/customers/{customerId}/orders?status={status}'],
  ['GET', '/customers/{customerId}/orders'],
  ['GET', '/search?q={q}&page={page}'],
  ['GET', '/search?q={q}'],
  ['*', '/health'],
  ['GET', '/files/{*path}'],
  ['GET', '/files/{name}/meta'],
  ['POST', '/v2/batch'],
  ['GET', '/v2/items/{id}/history'],
] as const;

const TARGETS = [
  ['GET', '/orders/12345'],
  ['POST', '/orders/12345/refund'],
  ['GET', '/customers/c-77/orders?status=open&x=1'],
  ['GET', '/search?q=tls&page=3'],
  ['GET', '/files/a/b/c.txt'],
  ['HEAD', '/health'],
  ['GET', '/v2/items/9/history'],
  ['GET', '/orders/special/'],
  ['DELETE', '/nothing/here'],
] as const;

function build(apis: number, opsPerApi: number): { readonly table: ReturnType<typeof compileRoutes<Api>>; readonly calls: readonly [string, string][] } {
  const list: Api[] = [];
  for (let a = 0; a < apis; a++) {
    const ops: Op[] = TEMPLATES.slice(0, opsPerApi).map(([method, urlTemplate], i) => ({ id: `op${i}`, method, urlTemplate }));
    list.push({ path: `api-${a}/v1`, ops: opsPerApi === 0 ? null : compileOperations(ops) });
  }
  const calls: [string, string][] = [];
  for (let a = 0; a < apis; a += Math.max(1, Math.floor(apis / 50))) {
    for (const [method, rest] of TARGETS) calls.push([method, `/api-${a}/v1${rest}`]);
  }
  return { table: compileRoutes(list), calls };
}

function run(apis: number, opsPerApi: number, iterations: number): number {
  const { table, calls } = build(apis, opsPerApi);
  let found = 0;
  const once = (): void => {
    for (const [method, url] of calls) {
      const match = matchRoute(table, url);
      if (match === null) continue;
      if (match.route.ops === null) found++;
      else if (matchOperation(match.route.ops, method, match.rest) !== null) found++;
    }
  };
  for (let i = 0; i < 200; i++) once(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) once();
  const ns = Number(process.hrtime.bigint() - started);
  if (found === 0) throw new Error('nothing matched: the bench is broken');
  return ns / (iterations * calls.length);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const runs = Number(process.argv[2] ?? 7);
const cases = [
  { name: '200 APIs x 20 operations', apis: 200, ops: 20, iterations: 2_000 },
  { name: '200 APIs, no operations', apis: 200, ops: 0, iterations: 2_000 },
  { name: '1 API x 20 operations', apis: 1, ops: 20, iterations: 200_000 },
  { name: '1 API, no operations', apis: 1, ops: 0, iterations: 200_000 },
];
for (const c of cases) {
  const times = Array.from({ length: runs }, () => run(c.apis, c.ops, c.iterations));
  const med = median(times);
  console.log(`${c.name.padEnd(26)} median ${(med / 1000).toFixed(3)} µs/call (runs: ${times.map((t) => (t / 1000).toFixed(3)).join(', ')})`);
}
