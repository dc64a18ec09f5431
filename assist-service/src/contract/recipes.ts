import { z } from 'zod';

/**
 * A "Teach this page" recipe: how to read one helpdesk domain that neither a site adapter nor the
 * generic adapter understands. The operator's picker writes it in the extension; an admin may
 * publish it here so the whole team gets it. Selectors are CSS; the service bounds them and
 * rejects what is plainly not a selector, the browser checks them for real before using them.
 */

export const RECIPE_SCHEMA_VERSION = 1;
const MAX_SELECTOR = 500;

function selectorProblem(value: string): string | undefined {
  if (!value.trim()) return 'empty selector';
  if (/[{};<]/u.test(value)) return 'a selector has no "{", "}", ";" or "<"';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (/[\u0000-\u001f]/u.test(value)) return 'control characters';
  if (/^\s*[>+~,]|[>+~,]\s*$/u.test(value)) return 'starts or ends with a combinator or comma';
  const closing: Record<string, string> = { '(': ')', '[': ']' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let index = 0; index < value.length; index += 1) {
    const character = value[index] ?? '';
    if (character === '\\') {
      index += 1;
      continue;
    }
    if (quote) {
      if (character === quote) quote = undefined;
      continue;
    }
    if (character === '"' || character === "'") quote = character;
    else if (character === '(' || character === '[') stack.push(closing[character] ?? '');
    else if (character === ')' || character === ']') {
      if (stack.pop() !== character) return `unbalanced "${character}"`;
    }
  }
  if (quote) return 'unclosed quote';
  if (stack.length > 0) return `missing "${stack.at(-1)}"`;
  return undefined;
}

/** A CSS selector, bounded and plausibly valid (the browser is the final judge). */
export const cssSelectorSchema = z
  .string()
  .max(MAX_SELECTOR)
  .superRefine((value, context) => {
    const problem = selectorProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `not a CSS selector: ${problem}` });
  });

/** A host as `URL.host` spells it, lower case: `desk.example.ru`, `127.0.0.1:8080`. */
export const recipeDomainSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/u,
    'a host name in lower case (or an IPv6 address in brackets, as [::1]), optionally with :port',
  )
  // An IPv6 host must be one the browser writes the same way (`location.host`: [::1], not [0::1]).
  .refine(
    (host) =>
      !host.startsWith('[') || (URL.canParse(`http://${host}`) && new URL(`http://${host}`).host === host),
    {
      message: 'an IPv6 address as the browser writes it, e.g. [::1] or [fd00::5]:8080',
    },
  );

const classTokenSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w-]+$/u, 'one class name: letters, digits, "_" and "-"');
const attributeNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z_][\w.:-]*$/iu, 'an attribute name');

/**
 * How a message shows its author's role. Each matcher is tried on the message element and the
 * elements inside it: a selector either matches, a class name is present, an attribute is present
 * (with `value`: has that value), or the message sits on that side of the list.
 */
export const roleMatcherSchema = z.union([
  z.strictObject({ selector: cssSelectorSchema }),
  z.strictObject({ class: classTokenSchema }),
  z.strictObject({ attribute: attributeNameSchema, value: z.string().max(200).optional() }),
  z.strictObject({ side: z.enum(['left', 'right']) }),
]);
export type RoleMatcher = z.infer<typeof roleMatcherSchema>;

export const recipeRolesSchema = z
  .strictObject({
    customer: roleMatcherSchema.optional(),
    operator: roleMatcherSchema.optional(),
    /** The role of a message neither matcher claims. */
    otherwise: z.enum(['customer', 'operator', 'system']).default('customer'),
  })
  .refine((roles) => roles.customer || roles.operator, 'at least one of customer, operator');
export type RecipeRoles = z.infer<typeof recipeRolesSchema>;

export const recipeSchema = z.strictObject({
  schema: z.literal(RECIPE_SCHEMA_VERSION),
  domain: recipeDomainSchema,
  /** Increases with every change; the newest version of a domain wins. */
  version: z.number().int().min(1).max(1_000_000_000),
  updatedAt: z.iso.datetime({ offset: true }),
  /** The element holding the messages (unique in the page, or in the iframe's document). */
  messageList: cssSelectorSchema,
  /** One message, relative to the list (`list.querySelectorAll(message)`). */
  message: cssSelectorSchema,
  roles: recipeRolesSchema,
  /** The message's text inside a message; the whole message when absent. */
  text: cssSelectorSchema.optional(),
  author: cssSelectorSchema.optional(),
  time: cssSelectorSchema.optional(),
  /** The reply box the operator types into. */
  composer: cssSelectorSchema,
  /** A same-origin iframe the conversation lives in; the selectors above then apply inside it. */
  iframe: cssSelectorSchema.optional(),
  channel: z.enum(['chat', 'email']).default('chat'),
  /** Who taught or published it, free text for the admin ("Ольга, смена 2"). */
  note: z.string().max(500).optional(),
});
export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

/** A stored, published recipe with when the service received it. */
export const publishedRecipeSchema = z.object({
  recipe: recipeSchema,
  publishedAt: z.string(),
  /** Withdrawn versions stay in the history but are no longer served as the latest. */
  withdrawn: z.boolean(),
});
export type PublishedRecipe = z.infer<typeof publishedRecipeSchema>;

export const recipeListResponseSchema = z.object({ recipes: z.array(publishedRecipeSchema) });
export type RecipeListResponse = z.infer<typeof recipeListResponseSchema>;

export const recipeVersionsResponseSchema = z.object({
  domain: recipeDomainSchema,
  versions: z.array(publishedRecipeSchema),
});
export type RecipeVersionsResponse = z.infer<typeof recipeVersionsResponseSchema>;

export const recipeWithdrawResponseSchema = z.object({
  domain: recipeDomainSchema,
  withdrawnVersions: z.number().int().min(0),
});
export type RecipeWithdrawResponse = z.infer<typeof recipeWithdrawResponseSchema>;

/** The ETag of a domain's latest recipe: clients send it back in If-None-Match. */
export function recipeEtag(recipe: Pick<Recipe, 'domain' | 'version'>): string {
  return `"${recipe.domain}@${recipe.version}"`;
}
