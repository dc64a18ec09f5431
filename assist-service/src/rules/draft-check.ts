/**
 * Checks an operator's draft against the team's script (FORMATS.md, `naparnik: scripts`):
 * required steps, banned and required phrases, the channel's length limit, and «ты»/«вы».
 * Phrases match by stem, so «вернём вам деньги в любом случае» is caught by «вернуть деньги в
 * любом случае»; case and ё/е never matter.
 */
import { findPhrase, type PhraseMatch, type WordToken, wordTokens } from '../text/tokens.ts';
import type { Channel, DraftFinding, DraftFindingType } from '../text/types.ts';
import { type AddressUse, findAddressForms } from './address-form.ts';
import { patternSpans } from './pattern.ts';
import type { PhraseRuleLike, ScriptRulesLike, ScriptStepLike } from './script-types.ts';

export interface DraftContext {
  channel: Channel;
  isFirstReply: boolean;
  steps: readonly ScriptStepLike[];
  rules?: ScriptRulesLike | undefined;
  /** The form the script requires; when absent, only mixing both forms is reported. */
  address?: 'vy' | 'ty' | undefined;
  /** Language of the draft and of the messages in the findings. */
  language: 'ru' | 'en';
  /** documentIds for citations; `<scriptId>/<step id>` and `<scriptId>/rules` when only the script id is known. */
  ruleDocumentIds?:
    | { scriptId?: string; rules?: string; steps?: Readonly<Record<string, string>> }
    | undefined;
}

type Language = DraftContext['language'];

const STEP_FINDING: Readonly<Record<string, DraftFindingType>> = {
  greeting: 'missing-greeting',
  introduction: 'missing-introduction',
  thanks: 'missing-thanks',
  closing: 'missing-closing',
};

const STEP_LABEL: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  ru: {
    greeting: 'приветствие',
    introduction: 'представление',
    thanks: 'благодарность',
    apology: 'извинение',
    hold: 'просьба подождать',
    closing: 'прощание',
  },
  en: {
    greeting: 'greeting',
    introduction: 'introduction',
    thanks: 'thanks',
    apology: 'apology',
    hold: 'hold message',
    closing: 'closing',
  },
};

/** What counts as each step when the script gives no `detect` list. */
const DEFAULT_DETECT: Readonly<Record<string, readonly string[]>> = {
  greeting: [
    'здравствуйте',
    'добрый день',
    'добрый вечер',
    'доброе утро',
    'приветствую',
    'привет',
    'hello',
    'hi',
    'good morning',
    'good afternoon',
    'good evening',
    'dear',
  ],
  introduction: ['меня зовут', 'на связи', 'с вами', 'my name is', 'this is'],
  thanks: ['спасибо', 'благодарю', 'благодарим', 'thank you', 'thanks'],
  apology: [
    'извините',
    'приносим извинения',
    'прошу прощения',
    'сожалеем',
    'sorry',
    'apologize',
    'apologies',
  ],
  hold: ['минуту', 'секунду', 'ожидайте', 'уточню', 'one moment', 'please wait', 'let me check'],
  closing: [
    'всего доброго',
    'хорошего дня',
    'хорошего вечера',
    'хороших выходных',
    'остались вопросы',
    'рады помочь',
    'будем рады',
    'до свидания',
    'have a nice day',
    'best regards',
    'feel free',
  ],
};

/** Steps an operator only takes once per conversation. */
const FIRST_REPLY_ONLY = new Set(['greeting', 'introduction']);
const EDGE_ZONE = 150;

function say(language: Language, ru: string, en: string): string {
  return language === 'en' ? en : ru;
}

function appliesTo(channels: readonly string[] | undefined, channel: Channel): boolean {
  return !channels || channels.length === 0 || channels.includes(channel);
}

/** The opening words of each variant, up to its first placeholder or punctuation. */
function variantOpenings(variants: readonly string[] | undefined): string[] {
  return (variants ?? [])
    .map((variant) => (variant.split(/\{\{[^{}]*\}\}|[,.!?:;—–]/u)[0] ?? '').trim())
    .filter((opening) => /\p{L}/u.test(opening));
}

function stepPhrases(step: ScriptStepLike): string[] {
  const given = step.detect ?? [];
  return given.length > 0
    ? [...given]
    : [...(DEFAULT_DETECT[step.step] ?? []), ...variantOpenings(step.variants)];
}

function allMatches(tokens: readonly WordToken[], phrases: readonly string[]): PhraseMatch[] {
  return phrases.flatMap((phrase) => findPhrase(tokens, phrase, 1)).sort((a, b) => a.start - b.start);
}

function stepRuleId(step: ScriptStepLike, context: DraftContext): string | undefined {
  const ids = context.ruleDocumentIds;
  return (
    ids?.steps?.[step.id] ?? step.documentId ?? (ids?.scriptId ? `${ids.scriptId}/${step.id}` : undefined)
  );
}

function rulesRuleId(context: DraftContext): string | undefined {
  const ids = context.ruleDocumentIds;
  return ids?.rules ?? (ids?.scriptId ? `${ids.scriptId}/rules` : undefined);
}

function withRuleId(finding: DraftFinding, ruleId: string | undefined): DraftFinding {
  return ruleId ? { ...finding, ruleId } : finding;
}

function checkSteps(draft: string, tokens: readonly WordToken[], context: DraftContext): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const language = context.language;
  const startZoneEnd = Math.max(EDGE_ZONE, draft.length * 0.3);
  const endZoneStart = Math.min(draft.length - EDGE_ZONE, draft.length * 0.7);
  for (const step of context.steps) {
    if (!step.required || !appliesTo(step.channels, context.channel)) continue;
    if (FIRST_REPLY_ONLY.has(step.step) && !context.isFirstReply) continue;
    const label = STEP_LABEL[language][step.step] ?? step.step;
    const type = STEP_FINDING[step.step] ?? 'missing-step';
    const matches = allMatches(tokens, stepPhrases(step));
    const ruleId = stepRuleId(step, context);
    const suggestion = step.variants?.[0];
    const position = step.position ?? 'any';
    const where =
      position === 'start'
        ? say(language, ' в начале ответа', ' at the start of the reply')
        : position === 'end'
          ? say(language, ' в конце ответа', ' at the end of the reply')
          : '';
    if (matches.length === 0) {
      const message = say(
        language,
        `Нет шага скрипта «${label}»${where}.`,
        `The reply has no ${label}${where}.`,
      );
      findings.push(
        withRuleId({ type, severity: 'warning', message, ...(suggestion ? { suggestion } : {}) }, ruleId),
      );
      continue;
    }
    const first = matches[0]!;
    const last = matches[matches.length - 1]!;
    const misplaced =
      (position === 'start' && first.start > startZoneEnd) || (position === 'end' && last.end < endZoneStart);
    if (!misplaced) continue;
    const found = position === 'start' ? first : last;
    const message = say(
      language,
      `Шаг скрипта «${label}» стоит не на месте: он должен быть${where}.`,
      `The ${label} should be${where}.`,
    );
    findings.push(
      withRuleId({ type, severity: 'info', message, span: { start: found.start, end: found.end } }, ruleId),
    );
  }
  return findings;
}

function phraseSpans(
  draft: string,
  tokens: readonly WordToken[],
  rule: PhraseRuleLike,
): { start: number; end: number }[] {
  if (rule.pattern) return patternSpans(rule.pattern, draft);
  if (rule.phrase) return findPhrase(tokens, rule.phrase, 1).map(({ start, end }) => ({ start, end }));
  return [];
}

function checkPhrases(draft: string, tokens: readonly WordToken[], context: DraftContext): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const language = context.language;
  const ruleId = rulesRuleId(context);
  for (const rule of context.rules?.banned ?? []) {
    if (!appliesTo(rule.channels, context.channel)) continue;
    for (const span of phraseSpans(draft, tokens, rule)) {
      const quoted = draft.slice(span.start, span.end);
      const message =
        rule.reason ??
        say(language, `Фраза «${quoted}» запрещена скриптом.`, `"${quoted}" is banned by the script.`);
      findings.push(
        withRuleId(
          {
            type: 'banned-phrase',
            severity: 'error',
            message,
            span,
            ...(rule.suggestion ? { suggestion: rule.suggestion } : {}),
          },
          ruleId,
        ),
      );
    }
  }
  for (const rule of context.rules?.required ?? []) {
    if (!appliesTo(rule.channels, context.channel)) continue;
    if (phraseSpans(draft, tokens, rule).length > 0) continue;
    const shown = rule.phrase ?? rule.pattern ?? '';
    const message =
      rule.reason ??
      say(language, `Нет обязательной фразы «${shown}».`, `The required phrase "${shown}" is missing.`);
    findings.push(
      withRuleId(
        {
          type: 'missing-required-phrase',
          severity: 'warning',
          message,
          ...(rule.phrase ? { suggestion: rule.phrase } : {}),
        },
        ruleId,
      ),
    );
  }
  return findings;
}

function checkLength(draft: string, context: DraftContext): DraftFinding[] {
  const limit = context.rules?.length?.[context.channel];
  if (limit === undefined || !Number.isFinite(limit)) return [];
  const characters = [...draft];
  if (characters.length <= limit) return [];
  const overflowStart = characters.slice(0, limit).join('').length;
  const message = say(
    context.language,
    `Ответ длиннее лимита канала: ${characters.length} из ${limit} символов.`,
    `The reply is longer than the channel allows: ${characters.length} of ${limit} characters.`,
  );
  return [
    withRuleId(
      { type: 'too-long', severity: 'warning', message, span: { start: overflowStart, end: draft.length } },
      rulesRuleId(context),
    ),
  ];
}

function addressFinding(use: AddressUse, message: string, ruleId: string | undefined): DraftFinding {
  return withRuleId(
    {
      type: 'address-form',
      severity: 'warning',
      message,
      span: { start: use.start, end: use.end },
      ...(use.counterpart ? { suggestion: use.counterpart } : {}),
    },
    ruleId,
  );
}

function checkAddress(draft: string, context: DraftContext): DraftFinding[] {
  if (context.language !== 'ru') return [];
  const uses = findAddressForms(draft);
  const ruleId = rulesRuleId(context);
  const ty = uses.filter((use) => use.form === 'ty');
  const vy = uses.filter((use) => use.form === 'vy');
  if (context.address === 'vy') {
    return ty.map((use) =>
      addressFinding(use, `Обращение на «ты» («${use.word}»), а по скрипту — на «вы».`, ruleId),
    );
  }
  if (context.address === 'ty') {
    return vy.map((use) =>
      addressFinding(use, `Обращение на «вы» («${use.word}»), а по скрипту — на «ты».`, ruleId),
    );
  }
  if (ty.length === 0 || vy.length === 0) return [];
  // Mixed forms without a rule: the minority is the slip (a tie counts «ты» as the slip).
  const minority = ty.length <= vy.length ? ty : vy;
  return minority.map((use) =>
    addressFinding(use, `«${use.word}» выбивается из остального ответа: смешаны «ты» и «вы».`, ruleId),
  );
}

/**
 * Everything the script says is wrong with a draft. Findings about something missing come first,
 * then those with a span, in the order they occur in the draft.
 */
export function checkDraft(draft: string, context: DraftContext): DraftFinding[] {
  if (typeof draft !== 'string') return [];
  const tokens = wordTokens(draft);
  const findings = [
    ...checkSteps(draft, tokens, context),
    ...checkPhrases(draft, tokens, context),
    ...checkLength(draft, context),
    ...checkAddress(draft, context),
  ];
  const missing = findings.filter((finding) => !finding.span);
  const located = findings.filter((finding) => finding.span).sort((a, b) => a.span!.start - b.span!.start);
  return [...missing, ...located];
}
