/** The HTTP side of the loopback server: recorded requests, faults, Discord's errors and limits. */

/** A REST request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the `/api/v10` prefix, decoded: `/webhooks/1/tok/messages/@original`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body (`payload_json` for multipart), or undefined. */
  readonly body: unknown;
  /** Files of a multipart request by field name (`files[0]`). */
  readonly files: ReadonlyMap<string, { name: string; data: Buffer }>;
  readonly receivedAt: number;
  /** Status the server answered with; set once answered. */
  status?: number;
}

/** An answer the server gives instead of the normal one. */
export type Fault =
  | { readonly kind: 'rateLimit'; readonly retryAfter: number; readonly global?: boolean }
  | { readonly kind: 'serverError'; readonly status?: 500 | 502 | 503 | 504 }
  | { readonly kind: 'missingPermissions' }
  | { readonly kind: 'missingAccess' }
  | { readonly kind: 'unknownChannel' }
  | { readonly kind: 'status'; readonly status: number; readonly body: unknown }
  /** Answer normally, after this delay. */
  | { readonly kind: 'delay'; readonly ms: number }
  /**
   * Handle the request at once (a message is stored and visible) but hold the answer this long: the
   * window in which a crashed client never learns that Discord accepted its message.
   */
  | { readonly kind: 'delayAnswer'; readonly ms: number };

export interface FaultRule {
  readonly method?: string;
  /** Matched against {@link RecordedRequest.path}: a string matches as a prefix, or a RegExp. */
  readonly path: string | RegExp;
  readonly fault: Fault;
  /** How many matching requests get the fault; default 1. Infinity for all. */
  readonly times?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export const discordError = (status: number, code: number, message: string) =>
  new HttpError(status, { code, message });
export const unknownMessage = () => discordError(404, 10008, 'Unknown Message');
export const unknownWebhook = () => discordError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = () => discordError(404, 10062, 'Unknown interaction');
export const notFound = () => discordError(404, 0, '404: Not Found');

export const FAULT_RESPONSES = {
  missingPermissions: () => discordError(403, 50013, 'Missing Permissions'),
  missingAccess: () => discordError(403, 50001, 'Missing Access'),
  unknownChannel: () => discordError(404, 10003, 'Unknown Channel'),
};

export function matchPath(matcher: string | RegExp, path: string): boolean {
  return typeof matcher === 'string' ? path.startsWith(matcher) : matcher.test(path);
}

export function faultAnswer(fault: Exclude<Fault, { kind: 'delay' | 'delayAnswer' }>): {
  status: number;
  payload: unknown;
  headers: Record<string, string>;
} {
  switch (fault.kind) {
    case 'rateLimit':
      return {
        status: 429,
        payload: {
          message: 'You are being rate limited.',
          retry_after: fault.retryAfter,
          global: fault.global ?? false,
        },
        headers: {
          'retry-after': String(fault.retryAfter),
          'x-ratelimit-scope': fault.global ? 'global' : 'user',
          ...(fault.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      };
    case 'serverError':
      return {
        status: fault.status ?? 500,
        payload: { message: 'Internal Server Error', code: 0 },
        headers: {},
      };
    case 'status':
      return { status: fault.status, payload: fault.body, headers: {} };
    default: {
      const error = FAULT_RESPONSES[fault.kind]();
      return { status: error.status, payload: error.body, headers: {} };
    }
  }
}

export async function parseBody(
  raw: Buffer,
  contentTypeHeader: string | undefined,
): Promise<{ body: unknown; files: Map<string, { name: string; data: Buffer }> }> {
  const files = new Map<string, { name: string; data: Buffer }>();
  if (raw.length === 0) return { body: undefined, files };
  if (contentTypeHeader?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentTypeHeader } }).formData();
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') body = JSON.parse(value);
      } else {
        files.set(key, { name: value.name, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files };
  } catch {
    return { body: raw.toString('utf8'), files };
  }
}

export const isNonEmptyArray = (value: unknown): value is unknown[] =>
  Array.isArray(value) && value.length > 0;

export function contentType(filename: string): string {
  if (filename.endsWith('.vcf')) return 'text/vcard; charset=utf-8';
  if (filename.endsWith('.json')) return 'application/json; charset=utf-8';
  if (filename.endsWith('.txt')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** Discord's message limits, checked like Discord does (400 Invalid Form Body). */
export const MESSAGE_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  components: 5,
  customId: 100,
} as const;

export function assertMessageLimits(body: Record<string, unknown>): void {
  const problems: string[] = [];
  const content = body.content;
  if (typeof content === 'string' && content.length > MESSAGE_LIMITS.content)
    problems.push('content: too long');
  const embeds = (body.embeds ?? []) as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
    author?: { name: string };
  }[];
  if (embeds.length > MESSAGE_LIMITS.embeds) problems.push('embeds: more than 10');
  let total = 0;
  embeds.forEach((e, i) => {
    const check = (what: string, text: string | undefined, max: number) => {
      total += text?.length ?? 0;
      if ((text?.length ?? 0) > max) problems.push(`embeds.${i}.${what}: longer than ${max}`);
    };
    check('title', e.title, MESSAGE_LIMITS.title);
    check('description', e.description, MESSAGE_LIMITS.description);
    check('footer.text', e.footer?.text, MESSAGE_LIMITS.footer);
    check('author.name', e.author?.name, MESSAGE_LIMITS.author);
    if ((e.fields?.length ?? 0) > MESSAGE_LIMITS.fields) problems.push(`embeds.${i}.fields: more than 25`);
    e.fields?.forEach((f, j) => {
      check(`fields.${j}.name`, f.name, MESSAGE_LIMITS.fieldName);
      check(`fields.${j}.value`, f.value, MESSAGE_LIMITS.fieldValue);
      if (!f.name || !f.value) problems.push(`embeds.${i}.fields.${j}: empty name or value`);
    });
  });
  if (total > MESSAGE_LIMITS.total) problems.push(`embeds: ${total} characters, more than 6000`);
  const components = (body.components ?? []) as { components?: { custom_id?: string }[] }[];
  if (components.length > MESSAGE_LIMITS.components) problems.push('components: more than 5 rows');
  for (const row of components) {
    for (const c of row.components ?? []) {
      if (c.custom_id !== undefined && c.custom_id.length > MESSAGE_LIMITS.customId)
        problems.push(`custom_id longer than 100: ${c.custom_id}`);
    }
  }
  if (problems.length)
    throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: problems });
}
