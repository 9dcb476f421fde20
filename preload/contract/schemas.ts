/**
 * The input schema (zod) of every operation. Main parses every payload with these, whatever the transport
 * (IPC, admin HTTP, CLI). Only main imports this file at run time: the preload and the renderer import types
 * only, so zod is not in their bundles. This file does not import operations.ts (which types inputs from these
 * schemas): main/core/dispatch/dispatch.ts checks that the two name the same operations.
 */
import { z } from 'zod';

const ID_FORBIDDEN = /[*#&+:<>?/\\\u0000-\u001f\u007f]/;

/** Certificate and API ids: 1-80 characters, none of `*#&+:<>?/\` or control characters. */
export const idSchema = z
  .string()
  .min(1, 'An id needs at least one character.')
  .max(80, 'An id has at most 80 characters.')
  .refine((s) => !ID_FORBIDDEN.test(s), 'An id may not contain any of * # & + : < > ? / \\ or control characters.')
  .refine((s) => s.trim() === s, 'An id may not start or end with spaces.');

/** Base64 file content (standard or URL alphabet). */
const base64Schema = z
  .string()
  .min(1, 'The file is empty.')
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'The file content must be base64.');

const passwordSchema = z.string().max(1024, 'A password has at most 1,024 characters.');

const apiPathSchema = z
  .string()
  .max(400)
  .refine((s) => !s.startsWith('/') && !s.endsWith('/'), 'The URL suffix may not start or end with "/".')
  .refine((s) => /^[A-Za-z0-9._~!$'()*,;=:@%/-]*$/.test(s), 'The URL suffix may contain only URL path characters.')
  .refine((s) => !s.split('/').some((seg) => seg === '' || seg === '.' || seg === '..') || s === '', 'The URL suffix has an empty, "." or ".." segment.');

const serviceUrlSchema = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'The web service URL must be an absolute http:// or https:// URL without user name or password.');

const backendTlsSchema = z
  .object({
    validateCertificateChain: z.boolean(),
    validateCertificateName: z.boolean(),
    trustedCaCertificateIds: z.array(idSchema).max(50),
  })
  .strict();

const empty = z.object({}).strict();
const byId = z.object({ id: idSchema }).strict();
const byApi = z.object({ apiId: idSchema }).strict();

const securityInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z
    .object({
      type: z.literal('basic'),
      username: z.string().min(1, 'A user name is required.').max(256),
      /** Omit to keep the password already stored for this API. */
      password: passwordSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('certificate'), certificateId: idSchema }).strict(),
]);

const operationIdSchema = idSchema;

const methodSchema = z
  .string()
  .min(1)
  .max(20)
  .transform((m) => m.toUpperCase())
  .refine((m) => m === '*' || /^[A-Z][A-Z-]{0,19}$/.test(m), 'A method is an HTTP method name (GET, POST…) or "*" for any.');

const urlTemplateSchema = z
  .string()
  .min(1, 'A URL template is required, e.g. /orders/{orderId}.')
  .max(2000)
  .refine((s) => s.startsWith('/'), 'A URL template starts with "/".')
  .refine((s) => !/[\u0000-\u0020\u007f#]/.test(s), 'A URL template may not contain spaces, control characters or "#".');

const operationFields = {
  displayName: z.string().trim().min(1, 'A display name is required.').max(300),
  method: methodSchema,
  urlTemplate: urlTemplateSchema,
  description: z.string().max(4000).optional(),
};

const policyXmlSchema = z.string().max(256 * 1024, 'A policy has at most 256 KiB.');

/** The largest OpenAPI document accepted (real public descriptions reach 14 MB). */
export const MAX_OPENAPI_LENGTH = 32 * 1024 * 1024;

/** The input of `security.set`'s `security` field. */
export type SecurityInput = z.infer<typeof securityInputSchema>;

/** Every operation's input schema. */
export const inputSchemas = {
  'certificates.list': empty,
  'certificates.get': byId,
  'certificates.inspect': z.object({ data: base64Schema, password: passwordSchema.optional(), fileName: z.string().max(260).optional() }).strict(),
  'certificates.upload': z
        .object({
          id: idSchema.optional(),
          data: base64Schema,
          password: passwordSchema.optional(),
          fileName: z.string().max(260).optional(),
          replace: z.boolean().optional(),
          /** With replace: only if the stored certificate is still this version (its updatedAt), else precondition-failed. */
          expectedUpdatedAt: z.string().max(64).optional(),
        })
        .strict(),
  'certificates.delete': byId,
  'certificates.expiring': z.object({ withinDays: z.number().int().min(0).max(3650) }).strict(),
  'certificates.rotate': z
        .object({
          id: idSchema,
          newId: idSchema.optional(),
          data: base64Schema,
          password: passwordSchema.optional(),
          fileName: z.string().max(260).optional(),
          /** Switch only these APIs (the operator's choice after a failed preflight); default: all, if all pass. */
          apiIds: z.array(idSchema).max(1000).optional(),
          /** With apiIds: switch the global policy ("All APIs") too, when it presents the certificate. */
          global: z.boolean().optional(),
        })
        .strict(),
  'certificates.rollback': z.object({ rotationId: z.string().min(1).max(80) }).strict(),
  'certificates.rotations': empty,
  'apis.diagnose': z
        .object({
          id: idSchema,
          /** Diagnose the route of this operation (its own credential, when its policy sets one) instead of the API's. */
          operationId: operationIdSchema.optional(),
          certificateId: idSchema.optional(),
          timeoutMs: z.number().int().min(100).max(60_000).optional(),
        })
        .strict(),
  'export.preview': z.object({ format: z.enum(['kong', 'nginx', 'apim']) }).strict(),
  'export.write': z.object({ format: z.enum(['kong', 'nginx', 'apim']), outDir: z.string().min(1).max(4096), withKeys: z.boolean() }).strict(),
  'caCertificates.list': empty,
  'caCertificates.upload': z.object({ id: idSchema.optional(), pem: z.string().min(1).max(1_000_000) }).strict(),
  'caCertificates.delete': byId,
  'apis.list': empty,
  'apis.get': byId,
  'apis.create': z
        .object({
          id: idSchema.optional(),
          displayName: z.string().trim().min(1, 'A display name is required.').max(300),
          path: apiPathSchema,
          serviceUrl: serviceUrlSchema,
          description: z.string().max(4000).optional(),
          backendTls: backendTlsSchema.partial().optional(),
        })
        .strict(),
  'apis.update': z
        .object({
          id: idSchema,
          displayName: z.string().trim().min(1).max(300).optional(),
          path: apiPathSchema.optional(),
          serviceUrl: serviceUrlSchema.optional(),
          description: z.string().max(4000).optional(),
          backendTls: backendTlsSchema.partial().optional(),
        })
        .strict(),
  'apis.delete': byId,
  'policies.get': z.object({ apiId: idSchema, operationId: operationIdSchema.optional() }).strict(),
  'policies.set': z.object({ apiId: idSchema, operationId: operationIdSchema.optional(), xml: policyXmlSchema }).strict(),
  'operations.list': byApi,
  'operations.get': z.object({ apiId: idSchema, id: operationIdSchema }).strict(),
  'operations.create': z.object({ apiId: idSchema, id: operationIdSchema.optional(), ...operationFields }).strict(),
  'operations.update': z
    .object({
      apiId: idSchema,
      id: operationIdSchema,
      displayName: operationFields.displayName.optional(),
      method: methodSchema.optional(),
      urlTemplate: urlTemplateSchema.optional(),
      description: z.string().max(4000).optional(),
    })
    .strict(),
  'operations.delete': z.object({ apiId: idSchema, id: operationIdSchema }).strict(),
  'operations.policies': byApi,
  'globalPolicy.get': empty,
  'globalPolicy.set': z.object({ xml: policyXmlSchema }).strict(),
  'policies.effective': z.object({ apiId: idSchema, operationId: operationIdSchema.optional() }).strict(),
  'apis.import': z
    .object({
      /** openapi+json: JSON; openapi: YAML (or JSON, which is YAML too). */
      format: z.enum(['openapi+json', 'openapi']),
      value: z.string().min(1, 'The document is empty.').max(MAX_OPENAPI_LENGTH, 'An OpenAPI document has at most 32 MiB.'),
      path: apiPathSchema,
      /** The API to create or update; default: derived from the document's title. */
      id: idSchema.optional(),
      /** Overrides servers[0].url. */
      serviceUrl: serviceUrlSchema.optional(),
      /** false: report what would be created, updated and removed, and store nothing. */
      confirm: z.boolean(),
    })
    .strict(),
  'security.get': byApi,
  'security.list': empty,
  'security.set': z.object({ apiId: idSchema, security: securityInputSchema }).strict(),
  'gateway.status': empty,
  'gateway.traffic': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'gateway.testCall': z
        .object({
          apiId: idSchema,
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
          path: z.string().max(2000),
          headers: z.record(z.string().max(200), z.string().max(8000)).optional(),
          body: z.string().max(1024 * 1024).optional(),
        })
        .strict(),
  'app.info': empty,
  'vault.unlock': z.object({ passphrase: z.string().min(1, 'Type the vault passphrase.').max(1024, 'A passphrase has at most 1,024 characters.') }).strict(),
  'settings.get': empty,
  'settings.set': z
        .object({ language: z.enum(['system', 'en', 'fr']).optional(), theme: z.enum(['system', 'light', 'dark']).optional() })
        .strict(),
  'certificates.estimate': z.object({ data: base64Schema }).strict(),
  'certificates.link': z
    .object({
      id: idSchema,
      /** An absolute path on the machine that runs CertGate. */
      file: z.string().min(1, 'A file path is required.').max(4096),
      password: passwordSchema.optional(),
      /** Link an existing certificate id to the file (its APIs follow), instead of creating a new one. */
      replace: z.boolean().optional(),
    })
    .strict(),
  'certificates.unlink': byId,
  'certificates.sync': byId,
  'certificates.export': z
    .object({
      id: idSchema,
      /** pfx: key + chain, password required; pem: chain, plus the PKCS #8 key when asked; cer: the leaf, DER. */
      format: z.enum(['pfx', 'pem', 'cer']),
      includePrivateKey: z.boolean(),
      /** The new file's password (pfx: required; pem: encrypts the key when given). */
      password: passwordSchema.optional(),
    })
    .strict(),
  'files.pick': z
    .object({ purpose: z.enum(['link-certificate']), title: z.string().max(200).optional() })
    .strict(),
} as const satisfies Record<string, z.ZodType>;
