/**
 * `certgate cert rotate | rollback | rotations` and `cert list --expiring`: replacing a client certificate
 * behind every API that uses it, after a preflight, and finding the ones that are about to expire.
 */
import readline from 'node:readline';
import type { AppError, ExpiringCertificate, OperationInput, Result, Rotation, RotationResult } from '../../../preload/contract';
import { flag, str } from '../args';
import { callAndPrint, withBackend, type CommandContext } from '../context';
import { EXIT_FAILED, EXIT_OK, expiryInWords, printError, table, thumbprintForPeople, type Io } from '../output';
import { printable, type TextStyle } from '../text';

/** Exit code of `cert list --expiring` when it found certificates: cron jobs and CI can act on it. */
export const EXIT_EXPIRING = 3;

/** The replacement file, read by `cert` (password from stdin or a terminal prompt). */
export interface ReplacementFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly password: string | undefined;
}

/**
 * `cert rotate OLD_ID NEW_FILE`: with --yes, switch every API using OLD_ID whatever the preflight says; on a
 * terminal, show the preflight and ask; otherwise (a script) switch only when every API passed it.
 */
export async function rotateCommand(ctx: CommandContext, oldId: string, file: ReplacementFile): Promise<number> {
  const newId = str(ctx.parsed, 'new-id');
  const base: OperationInput<'certificates.rotate'> = {
    id: oldId,
    ...(newId !== undefined ? { newId } : {}),
    data: file.bytes.toString('base64'),
    ...(file.password !== undefined ? { password: file.password } : {}),
    fileName: file.name,
  };
  return withBackend(ctx, async (backend) => {
    if (flag(ctx.parsed, 'yes')) {
      const current = await backend.call('certificates.get', { id: oldId });
      if (!current.ok) return printError(ctx.io, ctx.json, current.error);
      const usedBy = current.value.usedBy;
      const apiIds = [...new Set(usedBy.filter((u) => !u.global).map((u) => u.apiId))];
      const global = usedBy.some((u) => u.global === true);
      return finish(ctx, oldId, await backend.call('certificates.rotate', { ...base, apiIds, global }), true);
    }
    // Standard input already read (the password) or not a terminal: nobody can answer a question.
    if (!ctx.io.stdin.isTTY || flag(ctx.parsed, 'password-stdin')) {
      return finish(ctx, oldId, await backend.call('certificates.rotate', base), true);
    }
    // A terminal: preflight first (the new certificate is uploaded, nothing is switched), then ask.
    const dry = await backend.call('certificates.rotate', { ...base, apiIds: [] });
    if (!dry.ok || dry.value.preflight.length === 0) return finish(ctx, oldId, dry, true);
    ctx.io.stderr.write(`${preflightForPeople(dry.value, oldId, ctx.style)}\n`);
    const chosen = await choose(ctx.io, dry.value);
    if (chosen.length === 0) return finish(ctx, oldId, dry, false);
    const apiIds = [...chosen];
    // All of them: the global policy too, when it presents the old certificate (the APIs that inherit it were preflighted).
    const global = chosen.length === dry.value.preflight.length;
    return finish(ctx, oldId, await backend.call('certificates.rotate', { ...base, newId: dry.value.newCertificate.id, apiIds, global }), false);
  });
}

/** `cert rollback ROTATION_ID` */
export function rollbackCommand(ctx: CommandContext, rotationId: string): Promise<number> {
  return withBackend(ctx, (b) =>
    callAndPrint(ctx, b, 'certificates.rollback', { rotationId }, (r) =>
      `Rolled back rotation ${r.id}: ${switchedScopes(r)} present "${r.fromCertificateId}" again. "${r.toCertificateId}" is kept.`,
    ),
  );
}

/** `cert rotations` */
export function rotationsCommand(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, (b) => callAndPrint(ctx, b, 'certificates.rotations', {}, rotationsForPeople));
}

/** `cert list --expiring DAYS`: exit 3 when any certificate expires within DAYS days (or has expired), else 0. */
export function expiringCommand(ctx: CommandContext, withinDays: number): Promise<number> {
  return withBackend(ctx, async (b) => {
    const result = await b.call('certificates.expiring', { withinDays });
    if (!result.ok) return printError(ctx.io, ctx.json, result.error);
    const found = result.value;
    if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else ctx.io.stdout.write(`${expiringForPeople(found, withinDays, ctx.style)}\n`);
    return found.length > 0 ? EXIT_EXPIRING : EXIT_OK;
  });
}

/** Print a rotation's outcome; exit 1 when APIs use the old certificate and none was switched. */
function finish(ctx: CommandContext, oldId: string, result: Result<RotationResult>, withPreflight: boolean): number {
  if (!result.ok) return printError(ctx.io, ctx.json, result.error);
  const r = result.value;
  const code = r.preflight.length > 0 && r.switched.length === 0 ? EXIT_FAILED : EXIT_OK;
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else ctx.io.stdout.write(`${[withPreflight && r.preflight.length > 0 ? preflightForPeople(r, oldId, ctx.style) : null, outcomeForPeople(r, oldId)].filter(Boolean).join('\n\n')}\n`);
  return code;
}

function preflightForPeople(r: RotationResult, oldId: string, style: TextStyle): string {
  const c = r.newCertificate;
  const lines = [
    `New certificate "${c.id}": ${printable(c.subject)}, thumbprint ${thumbprintForPeople(c.thumbprint, style)}, ${expiryInWords(c.notAfter)} (${c.notAfter.slice(0, 10)}).`,
    `Preflight: each API using "${oldId}", called with "${c.id}":`,
  ];
  for (const p of r.preflight) {
    lines.push(`  ${p.ok ? 'ok    ' : 'FAILED'}  ${p.apiName} (${p.apiId})`);
    for (const problem of p.ok ? [] : p.diagnosis.problems) lines.push(`          ${problem.code}: ${problem.message} Fix: ${problem.fix}`);
  }
  return lines.join('\n');
}

function outcomeForPeople(r: RotationResult, oldId: string): string {
  const newId = r.newCertificate.id;
  if (r.preflight.length === 0) return `No API uses "${oldId}", so nothing was switched. The certificate "${newId}" is uploaded.`;
  if (!r.rotation) {
    const failed = r.preflight.filter((p) => !p.ok).length;
    const why = failed > 0 ? `the preflight failed for ${failed} of ${r.preflight.length} APIs` : 'nothing was chosen';
    return [
      `Nothing was switched: ${why}. Every API still presents "${oldId}".`,
      `The certificate "${newId}" stays uploaded: fix the back ends and run the same command again, or switch anyway with --yes.`,
    ].join('\n');
  }
  const names = r.switched.map((id) => r.preflight.find((p) => p.apiId === id)?.apiName ?? id);
  const left = r.preflight.length - r.switched.length;
  return [
    `Switched ${r.switched.length} API${r.switched.length === 1 ? '' : 's'} from "${oldId}" to "${newId}": ${names.join(', ')}.`,
    ...(left > 0 ? [`${left} API${left === 1 ? '' : 's'} still present${left === 1 ? 's' : ''} "${oldId}".`] : []),
    `To switch back: certgate cert rollback ${r.rotation.id}`,
    `"${oldId}" is kept until you delete it${left > 0 ? '' : ` (certgate cert delete ${oldId})`}.`,
  ].join('\n');
}

/** Ask on the terminal which APIs to switch; an empty list means none. */
async function choose(io: Io, r: RotationResult): Promise<readonly string[]> {
  const all = r.preflight.map((p) => p.apiId);
  const passed = r.preflight.filter((p) => p.ok).map((p) => p.apiId);
  const n = all.length;
  if (passed.length === n) {
    const answer = await ask(io, `Switch ${n === 1 ? 'this API' : `these ${n} APIs`} to "${r.newCertificate.id}"? [y/N] `);
    return /^y(es)?$/i.test(answer) ? all : [];
  }
  if (passed.length === 0) {
    const answer = await ask(io, `The preflight failed for every API. Switch ${n === 1 ? 'it' : `all ${n}`} anyway? [y/N] `);
    return /^y(es)?$/i.test(answer) ? all : [];
  }
  const answer = await ask(io, `Switch (a)ll ${n} APIs, only the ${passed.length} that (p)assed, or (n)othing? [n] `);
  if (/^a(ll)?$/i.test(answer)) return all;
  if (/^p(assed)?$/i.test(answer)) return passed;
  return [];
}

function ask(io: Io, question: string): Promise<string> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  return new Promise<string>((resolve) => {
    rl.once('close', () => resolve(''));
    rl.question(question, (answer) => resolve(answer.trim()));
  }).finally(() => rl.close());
}

function rotationsForPeople(rotations: readonly Rotation[]): string {
  if (rotations.length === 0) return 'No rotations yet. Rotate a certificate with: certgate cert rotate OLD_ID NEW_FILE.pfx';
  return table(
    ['ID', 'FROM', 'TO', 'APIS', 'OPERATIONS', 'ROTATED', 'ROLLED BACK'],
    rotations.map((r) => [
      r.id,
      r.fromCertificateId,
      r.toCertificateId,
      [...(r.global ? ['All APIs'] : []), ...r.apiIds].join(', ') || '-',
      (r.operations ?? []).map((o) => `${o.apiId}/${o.operationId}`).join(', ') || '-',
      r.rotatedAt,
      r.rolledBackAt ?? '-',
    ]),
  );
}

/** "the global policy and the APIs shop, billing (operations shop/refund)" */
function switchedScopes(r: Rotation): string {
  const parts = [...(r.global ? ['the global policy (All APIs)'] : []), ...(r.apiIds.length > 0 ? [`its APIs (${r.apiIds.join(', ')})`] : [])];
  const ops = (r.operations ?? []).map((o) => `${o.apiId}/${o.operationId}`);
  return `${parts.join(' and ') || 'nothing'}${ops.length > 0 ? ` (operations ${ops.join(', ')})` : ''}`;
}

/** How the expiry list names a use: "Shop", "Shop (operation Refund)", "All APIs". */
function usageForPeople(u: ExpiringCertificate['usedBy'][number]): string {
  if (u.global) return 'All APIs';
  return u.operationId !== undefined ? `${u.apiName} (operation ${u.operationName ?? u.operationId})` : u.apiName;
}

function expiringForPeople(found: readonly ExpiringCertificate[], withinDays: number, style: TextStyle): string {
  if (found.length === 0) return `No client certificate expires within ${withinDays} days.`;
  return table(
    ['ID', 'EXPIRES', 'WHICH', 'THUMBPRINT', 'USED BY'],
    found.map((e) => [
      e.certificateId,
      `${e.notAfter.slice(0, 10)} (${expiryInWords(e.notAfter)})`,
      e.which === 'leaf' ? 'certificate' : `chain: ${printable(e.expiringSubject)}`,
      thumbprintForPeople(e.thumbprint, style),
      e.usedBy.length === 0 ? '-' : printable(e.usedBy.map(usageForPeople).join(', ')),
    ]),
  );
}

/** A usage error for a bad `--expiring` value, or the number of days. */
export function parseDays(text: string): number | AppError {
  const days = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  return Number.isInteger(days) && days <= 3650 ? days : { code: 'validation', message: `--expiring takes a number of days from 0 to 3650, not "${text}".` };
}
