import { z } from 'zod';

/**
 * An environment variable that holds JSON checked by `schema`: a value that is not JSON says what
 * was `expected`, one that does not fit names each wrong field after `label`.
 */
export function jsonSetting<Schema extends z.ZodType>(
  schema: Schema,
  options: { expected: string; label: string },
) {
  return z.string().transform((value, context): z.output<Schema> => {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      context.addIssue({ code: 'custom', message: options.expected });
      return z.NEVER;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join(', ');
      context.addIssue({ code: 'custom', message: `${options.label}: ${details}` });
      return z.NEVER;
    }
    return parsed.data;
  });
}
