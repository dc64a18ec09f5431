import { z } from 'zod';
import { isValidityBound, VALIDITY_BOUND_MESSAGE, validityWindow } from '../store/validity.ts';
import { sectionProblems } from './template-sections.ts';

/**
 * The Naparnik knowledge formats (FORMATS.md): reply templates, operator scripts, routing rules,
 * the glossary.
 * The ingest loaders validate files with the `*FileSchema`s; the assist service reads the same
 * content back from chunk metadata with `naparnikMetadataSchema`.
 */

export const CHANNELS = ['chat', 'messenger', 'email', 'marketplace', 'social'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const idSchema = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'use letters, digits, ".", "_" and "-" only');
export const languageSchema = z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code like "ru"');
const SLOT_NAME = /^[a-z][a-z0-9_]*$/;
export const slotNameSchema = z.string().regex(SLOT_NAME, 'a slot name is snake_case, like order_id');
const nonEmpty = z.string().trim().min(1);
const version = z.literal(1).default(1);

/**
 * A bound of an entry's validity window: an ISO date (`2026-12-31`, a whole day in UTC) or
 * date-time with its offset. YAML reads an unquoted date as text here (the core schema).
 */
export { resolveSections, sectionProblems } from './template-sections.ts';

const validityBound = z.string().trim().refine(isValidityBound, { message: VALIDITY_BOUND_MESSAGE });

/** Slots the assist service fills on its own; any other is taken from the customer card or left marked. */
export const AUTOMATIC_SLOTS = [
  'customer_name',
  'operator_name',
  'order_id',
  'contract_id',
  'tracking_number',
  'date',
  'amount',
  'product',
  'phone',
  'email',
] as const;

/**
 * The slot names a template uses, in order of appearance, each once (not checked for form): inside
 * `{{…}}` placeholders and as the names of conditional sections (`{{^order_id}}…{{/order_id}}`).
 */
export function findPlaceholders(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !name.startsWith('/'))
    .map((name) => (name.startsWith('#') || name.startsWith('^') ? name.slice(1).trim() : name));
  return [...new Set(names)];
}

const WORD = '\\p{L}\\p{N}_';
const WORD_ESCAPES: Record<string, string> = {
  w: `[${WORD}]`,
  W: `[^${WORD}]`,
  b: `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`,
  B: `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`,
};

/**
 * A rule pattern as a case-insensitive Unicode RegExp. JavaScript's `\w` and `\b` know only
 * Latin letters, so `гарантир\w*` would never match; here they mean any letter or digit, as the
 * people writing patterns (used to Python or PCRE) expect. Throws SyntaxError when invalid.
 */
export function compilePattern(source: string): RegExp {
  let translated = '';
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index]!;
    const next = source[index + 1];
    if (character === '\\' && next !== undefined) {
      index++;
      if (next === 'w' && inClass) translated += WORD;
      else if (!inClass && WORD_ESCAPES[next] !== undefined) translated += WORD_ESCAPES[next];
      else translated += character + next;
      continue;
    }
    if (character === '[' && !inClass) inClass = true;
    else if (character === ']' && inClass) inClass = false;
    translated += character;
  }
  return new RegExp(translated, 'iu');
}

const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, context) => {
    try {
      compilePattern(pattern);
    } catch (error) {
      const reason =
        error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') : '';
      context.addIssue({ code: 'custom', message: `invalid regular expression: ${reason}` });
    }
  });

function uniqueIds<Key extends string>(key: Key) {
  return (value: Record<Key, readonly { id: string }[]>, context: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    value[key].forEach((item, index) => {
      const earlier = seen.get(item.id);
      if (earlier !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [key, index, 'id'],
          message: `duplicate id "${item.id}" (also ${key}[${earlier}])`,
        });
      }
      seen.set(item.id, index);
    });
  };
}

// ── Reply templates ───────────────────────────────────────────────────────────────────────────

export const GRAMMATICAL_CASE_NAMES: readonly string[] = [
  'nomn',
  'gent',
  'datv',
  'accs',
  'ablt',
  'loct',
  'именительный',
  'родительный',
  'дательный',
  'винительный',
  'творительный',
  'предложный',
];

/**
 * Situations a customer's words can put a conversation in, that some replies must not be used for
 * (`notFor`): a claim that the item is defective, an order placed on a marketplace, an item said to
 * be of gold or silver (`precious-metal-item`) or costume jewellery, a watch or an accessory
 * (`non-precious-item`), an item other than the one ordered delivered (`wrong-item`), an order
 * that has not come when it was due (`late-delivery`), a request to return or exchange an item
 * (`return-request`), an item said to be engraved (`engraved-item`), an order not yet in the
 * customer's hands, waiting at the pickup point or on its way as planned (`not-yet-received`), a
 * request to cancel the order (`cancel-request`), an item already handed back or a return filed
 * (`item-returned`).
 */
export const SITUATIONS = [
  'defect-claim',
  'marketplace-order',
  'precious-metal-item',
  'non-precious-item',
  'wrong-item',
  'late-delivery',
  'return-request',
  'engraved-item',
  'not-yet-received',
  'cancel-request',
  'item-returned',
] as const;
export const situationSchema = z.enum(SITUATIONS);
export type Situation = z.infer<typeof situationSchema>;

export const slotSchema = z.strictObject({
  label: nonEmpty.optional(),
  /** A required slot must be filled before the reply is sent. */
  required: z.boolean().default(true),
  /** What to ask the customer when the slot is missing. */
  ask: nonEmpty.optional(),
  /**
   * Where the value comes from: `conversation` (the default) — the helpdesk card, else what the
   * customer wrote; `system` — a fact of the shop's own systems (the day a return was accepted,
   * the sum refunded), filled from the helpdesk card or by the operator, never from the customer's
   * words («получил 3 дня назад» is not the day the return was accepted).
   */
  source: z.enum(['conversation', 'system']).optional(),
  /**
   * The grammatical case the value takes in the text, when the words before the slot do not say it:
   * `nomn gent datv accs ablt loct` or the Russian name (`винительный`).
   */
  case: z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => GRAMMATICAL_CASE_NAMES.includes(value), {
      message: `a case: one of ${GRAMMATICAL_CASE_NAMES.join(', ')}`,
    })
    .optional(),
});
export type Slot = z.infer<typeof slotSchema>;

/**
 * A precondition: what to check or do, as text, or with the situations that answer it — a check of
 * what the customer may already have said («уточнить, из чего изделие»: «это бижутерия») is not
 * shown once the conversation says it.
 */
export const preconditionSchema = z.union([
  nonEmpty,
  z.strictObject({ text: nonEmpty, answeredBy: z.array(situationSchema).min(1) }),
]);
export type Precondition = z.infer<typeof preconditionSchema>;

const templateShape = {
  id: idSchema,
  title: nonEmpty,
  text: nonEmpty,
  short: nonEmpty.optional(),
  category: nonEmpty.optional(),
  tags: z.array(nonEmpty).default([]),
  language: languageSchema.optional(),
  /** Absent: every channel. */
  channels: z.array(channelSchema).min(1).optional(),
  /** How customers ask; indexed with the text. */
  questions: z.array(nonEmpty).default([]),
  slots: z.record(slotNameSchema, slotSchema).default({}),
  /**
   * What the operator must check or do before sending: the facts and actions the text states as
   * done («отменить заказ в системе», "cancel the order in the system"). Shown as «сначала: …».
   */
  preconditions: z.array(preconditionSchema).optional(),
  /** Situations the reply must not be used for (a refusal to return is not for a defect claim). */
  notFor: z.array(situationSchema).optional(),
  /** Situations the reply is written for: offered when the conversation is in one of them. */
  for: z.array(situationSchema).optional(),
  /**
   * Situations the reply is only for: never offered unless the conversation is in one of them
   * («Заказ № … отменён» only to a customer who asked to cancel).
   */
  onlyFor: z.array(situationSchema).min(1).optional(),
  /**
   * When the reply may be offered (a promotion, a price, delivery terms): never retrieved before
   * `validFrom` or after the `validUntil` day (`validityWindow` in store/search-filter.ts).
   */
  validFrom: validityBound.optional(),
  validUntil: validityBound.optional(),
};

function checkTemplate(
  template: {
    text: string;
    short?: string | undefined;
    slots: Record<string, unknown>;
    validFrom?: string | undefined;
    validUntil?: string | undefined;
  },
  context: z.RefinementCtx,
): void {
  const { from, until } = validityWindow(template);
  if (from !== undefined && until !== undefined && until <= from) {
    context.addIssue({ code: 'custom', path: ['validUntil'], message: 'ends before "validFrom" begins' });
  }
  const used = new Set<string>();
  for (const field of ['text', 'short'] as const) {
    for (const problem of sectionProblems(template[field] ?? '')) {
      context.addIssue({ code: 'custom', path: [field], message: problem.message });
    }
    for (const name of findPlaceholders(template[field] ?? '')) {
      if (!SLOT_NAME.test(name)) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `placeholder {{${name}}} is not snake_case`,
        });
      }
      used.add(name);
    }
  }
  for (const name of Object.keys(template.slots)) {
    if (!used.has(name)) {
      context.addIssue({ code: 'custom', path: ['slots', name], message: 'not used in "text" or "short"' });
    }
  }
}

export const templateSchema = z.strictObject(templateShape).superRefine(checkTemplate);
export type Template = z.infer<typeof templateSchema>;

export const templatesFileSchema = z
  .strictObject({
    naparnik: z.literal('templates'),
    version,
    /** The default for items that do not say. */
    language: languageSchema.optional(),
    items: z.array(templateSchema).min(1),
  })
  .superRefine(uniqueIds('items'));
export type TemplatesFile = z.infer<typeof templatesFileSchema>;

/** A template in a Markdown file: the front matter, with the body as `text`. */
export const markdownTemplateSchema = z
  .strictObject({ ...templateShape, naparnik: z.literal('template'), version })
  .superRefine(checkTemplate);

/** Chunk metadata of a template: the template with its language resolved and every slot listed. */
export const templateMetadataSchema = z
  .strictObject({ ...templateShape, type: z.literal('template') })
  .superRefine(checkTemplate);
export type TemplateMetadata = z.infer<typeof templateMetadataSchema>;

// ── Operator scripts ──────────────────────────────────────────────────────────────────────────

export const SCRIPT_STEPS = ['greeting', 'introduction', 'thanks', 'apology', 'hold', 'closing'] as const;
export const STEP_POSITIONS = ['start', 'end', 'any'] as const;
/** `vy`: на «вы»; `ty`: на «ты». */
export const ADDRESS_FORMS = ['vy', 'ty'] as const;
export const addressSchema = z.enum(ADDRESS_FORMS);

const scriptStepShape = {
  id: idSchema,
  step: z.enum(SCRIPT_STEPS),
  title: nonEmpty.optional(),
  channels: z.array(channelSchema).min(1).optional(),
  /** The assist service picks one; placeholders allowed. */
  variants: z.array(nonEmpty).min(1),
  /** Words and phrases that show the step is in a draft. */
  detect: z.array(nonEmpty).default([]),
  required: z.boolean().default(false),
  position: z.enum(STEP_POSITIONS).default('any'),
};
export const scriptStepSchema = z.strictObject(scriptStepShape);
export type ScriptStep = z.infer<typeof scriptStepSchema>;

const phraseRuleShape = {
  phrase: nonEmpty.optional(),
  /** Case-insensitive; see {@link compilePattern}. */
  pattern: patternSchema.optional(),
  reason: nonEmpty,
  channels: z.array(channelSchema).min(1).optional(),
};
const eitherPhraseOrPattern = (rule: { phrase?: string | undefined; pattern?: string | undefined }) =>
  (rule.phrase === undefined) !== (rule.pattern === undefined);
const phraseOrPatternMessage = { message: 'give either "phrase" or "pattern"' };

export const bannedPhraseSchema = z
  .strictObject({ ...phraseRuleShape, suggestion: nonEmpty.optional() })
  .refine(eitherPhraseOrPattern, phraseOrPatternMessage);
export const requiredPhraseSchema = z
  .strictObject(phraseRuleShape)
  .refine(eitherPhraseOrPattern, phraseOrPatternMessage);
export const scriptRulesSchema = z.strictObject({
  banned: z.array(bannedPhraseSchema).default([]),
  required: z.array(requiredPhraseSchema).default([]),
  /** Maximum characters of a reply per channel. */
  length: z.partialRecord(channelSchema, z.number().int().positive()).default({}),
});
export type ScriptRules = z.infer<typeof scriptRulesSchema>;

export const scriptsFileSchema = z
  .strictObject({
    naparnik: z.literal('scripts'),
    version,
    id: idSchema,
    title: nonEmpty.optional(),
    language: languageSchema,
    address: addressSchema,
    steps: z.array(scriptStepSchema).default([]),
    rules: scriptRulesSchema.prefault({}),
  })
  .superRefine(uniqueIds('steps'));
export type ScriptsFile = z.infer<typeof scriptsFileSchema>;

export const scriptStepMetadataSchema = z.strictObject({
  ...scriptStepShape,
  type: z.literal('script-step'),
  address: addressSchema,
  language: languageSchema,
});
export type ScriptStepMetadata = z.infer<typeof scriptStepMetadataSchema>;

export const scriptRulesMetadataSchema = z.strictObject({
  type: z.literal('script-rules'),
  address: addressSchema,
  language: languageSchema,
  rules: scriptRulesSchema,
});
export type ScriptRulesMetadata = z.infer<typeof scriptRulesMetadataSchema>;

// ── Routing rules ─────────────────────────────────────────────────────────────────────────────

export const ROUTING_ACTIONS = ['handover', 'ask', 'close', 'escalate'] as const;
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

export const departmentSchema = z.strictObject({
  id: idSchema,
  name: nonEmpty,
  description: nonEmpty.optional(),
});
export type Department = z.infer<typeof departmentSchema>;

/** All given conditions must hold; a list matches when any of its elements does. */
export const routingConditionSchema = z
  .strictObject({
    /** KB categories or tags of the detected topic. */
    topics: z.array(nonEmpty).min(1).optional(),
    /** Matched by stem in the customer's text. */
    keywords: z.array(nonEmpty).min(1).optional(),
    patterns: z.array(patternSchema).min(1).optional(),
    channels: z.array(channelSchema).min(1).optional(),
    sentiment: z.enum(SENTIMENTS).optional(),
    /** Slots the conversation has no value for yet. */
    missing: z.array(slotNameSchema).min(1).optional(),
    /** Situations the customer's words put the conversation in (`defect-claim`, …). */
    situations: z.array(situationSchema).min(1).optional(),
  })
  .refine((condition) => Object.values(condition).some((value) => value !== undefined), {
    message: 'give at least one condition',
  });
export type RoutingCondition = z.infer<typeof routingConditionSchema>;

const routingRuleShape = {
  id: idSchema,
  title: nonEmpty.optional(),
  action: z.enum(ROUTING_ACTIONS),
  /** Required for `handover`, optional for `escalate` (absent: a senior of the same team). */
  department: idSchema.optional(),
  /** For `ask`: the missing slot to request. */
  slot: slotNameSchema.optional(),
  /** Higher wins when several rules match. */
  priority: z.number().int().default(0),
  when: routingConditionSchema,
  /** What the operator sees next to the suggested action. */
  reason: nonEmpty,
  /** The reason in other languages, by ISO 639-1 code. */
  reasons: z.record(languageSchema, nonEmpty).optional(),
};

function checkRule(
  rule: {
    action: (typeof ROUTING_ACTIONS)[number];
    department?: string | undefined;
    slot?: string | undefined;
  },
  context: z.RefinementCtx,
): void {
  if (rule.action === 'handover' && rule.department === undefined) {
    context.addIssue({ code: 'custom', path: ['department'], message: 'required for action "handover"' });
  }
  if (rule.department !== undefined && rule.action !== 'handover' && rule.action !== 'escalate') {
    context.addIssue({
      code: 'custom',
      path: ['department'],
      message: 'only for actions "handover" and "escalate"',
    });
  }
  if (rule.action === 'ask' && rule.slot === undefined) {
    context.addIssue({ code: 'custom', path: ['slot'], message: 'required for action "ask"' });
  }
  if (rule.slot !== undefined && rule.action !== 'ask') {
    context.addIssue({ code: 'custom', path: ['slot'], message: 'only for action "ask"' });
  }
}

export const routingRuleSchema = z.strictObject(routingRuleShape).superRefine(checkRule);
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingFileSchema = z
  .strictObject({
    naparnik: z.literal('routing'),
    version,
    id: idSchema,
    title: nonEmpty.optional(),
    language: languageSchema.optional(),
    departments: z.array(departmentSchema).default([]),
    rules: z.array(routingRuleSchema).min(1),
  })
  .superRefine(uniqueIds('departments'))
  .superRefine(uniqueIds('rules'))
  .superRefine((file, context) => {
    const known = file.departments.map((department) => department.id);
    file.rules.forEach((rule, index) => {
      if (rule.department !== undefined && !known.includes(rule.department)) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'department'],
          message: `unknown department "${rule.department}" (known: ${known.join(', ') || 'none'})`,
        });
      }
    });
  });
export type RoutingFile = z.infer<typeof routingFileSchema>;

export const routingRuleMetadataSchema = z
  .strictObject({ ...routingRuleShape, type: z.literal('routing-rule') })
  .superRefine(checkRule);
export type RoutingRuleMetadata = z.infer<typeof routingRuleMetadataSchema>;

export const departmentsMetadataSchema = z.strictObject({
  type: z.literal('departments'),
  departments: z.array(departmentSchema),
});
export type DepartmentsMetadata = z.infer<typeof departmentsMetadataSchema>;

/** Any Naparnik chunk's metadata, told apart by `type`. */
export const naparnikMetadataSchema = z.discriminatedUnion('type', [
  templateMetadataSchema,
  scriptStepMetadataSchema,
  scriptRulesMetadataSchema,
  routingRuleMetadataSchema,
  departmentsMetadataSchema,
]);
export type NaparnikMetadata = z.infer<typeof naparnikMetadataSchema>;

// ── Glossary ──────────────────────────────────────────────────────────────────────────────────

/**
 * Words and phrases that mean the same to the team's customers: abbreviations («ПВЗ» — «пункт
 * выдачи»), brand spellings («WB», «вайлдберриз»), the team's own names («Аурелия Клуб» —
 * «программа лояльности»). A question that says one finds knowledge that says another.
 */
export const glossaryGroupSchema = z.strictObject({
  id: idSchema.optional(),
  terms: z
    .array(nonEmpty.max(80, 'a term is a word or a short phrase (at most 80 characters)'))
    .min(2, 'a group needs at least two terms that mean the same')
    .max(20),
  note: nonEmpty.optional(),
});
export type GlossaryGroup = z.infer<typeof glossaryGroupSchema>;

export const glossaryFileSchema = z.strictObject({
  naparnik: z.literal('glossary'),
  version,
  id: idSchema,
  title: nonEmpty.optional(),
  language: languageSchema.optional(),
  groups: z.array(glossaryGroupSchema).min(1),
});
export type GlossaryFile = z.infer<typeof glossaryFileSchema>;

export const glossaryMetadataSchema = z.strictObject({
  type: z.literal('glossary-group'),
  terms: z.array(nonEmpty).min(2),
});
