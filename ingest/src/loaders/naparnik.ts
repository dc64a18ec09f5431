import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { IngestError } from '../errors.ts';
import type { Loader, LoaderInput, SourceDocument } from '../model.ts';
import { mergeTags } from './faq-table.ts';
import {
  type Department,
  findPlaceholders,
  type GlossaryFile,
  glossaryFileSchema,
  markdownTemplateSchema,
  type RoutingFile,
  type RoutingRule,
  routingFileSchema,
  type ScriptStep,
  type ScriptsFile,
  type Slot,
  scriptsFileSchema,
  type Template,
  type TemplateMetadata,
  templatesFileSchema,
} from './naparnik-schema.ts';
import { decodeUtf8, describeIssue, parseJson, zodErrorMap } from './records.ts';
import { statedActions } from './stated-actions.ts';

/** The marker must sit this close to the file's start (conventionally it is the first line). */
const MARKER_WINDOW = 64 * 1024;
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function head(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, MARKER_WINDOW));
}

// ── Parsing with line numbers ─────────────────────────────────────────────────────────────────

interface Parsed {
  value: unknown;
  /** The line of the deepest node on the path that exists (for messages). */
  lineOf(issuePath: readonly PropertyKey[]): number | undefined;
}

function parseYaml(text: string, lineOffset = 0): Parsed {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line + lineOffset;
    throw new IngestError('corrupt', `line ${line}: ${error.message.split('\n')[0]}`, { cause: error });
  }
  return {
    value: document.toJS(),
    lineOf(issuePath) {
      const keys = issuePath.filter((key): key is string | number => typeof key !== 'symbol');
      for (let length = keys.length; length >= 0; length--) {
        const node = length === 0 ? document.contents : document.getIn(keys.slice(0, length), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line + lineOffset;
      }
      return undefined;
    },
  };
}

function parseStructured(text: string, extension: string): Parsed {
  if (extension !== '.json') return parseYaml(text);
  const value = parseJson(text);
  // JSON is YAML: parse again only to point at a line when validation fails.
  return { value, lineOf: (issuePath) => parseYaml(text).lineOf(issuePath) };
}

function validate<Schema extends z.ZodType>(schema: Schema, parsed: Parsed): z.infer<Schema> {
  const result = schema.safeParse(parsed.value, { error: zodErrorMap });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const line = parsed.lineOf(issue.path);
  throw new IngestError('invalid', `${describeIssue(issue)}${line === undefined ? '' : ` (line ${line})`}`);
}

// ── Readable text (what search finds) ─────────────────────────────────────────────────────────

const LABELS = {
  ru: {
    questions: 'Как спрашивают клиенты:',
    steps: {
      greeting: 'приветствие',
      introduction: 'представление',
      thanks: 'благодарность',
      apology: 'извинение',
      hold: 'просьба подождать',
      closing: 'завершение',
    },
    positions: { start: 'в начале ответа', end: 'в конце ответа', any: 'в любом месте ответа' },
    step: 'Шаг скрипта',
    required: 'обязательный',
    optional: 'необязательный',
    channels: 'Каналы',
    variants: 'Варианты:',
    detect: 'Распознаётся по словам',
    rules: 'Правила ответа',
    address: { vy: 'обращение на «вы»', ty: 'обращение на «ты»' },
    banned: 'Запрещено:',
    mustHave: 'Обязательно:',
    pattern: 'шаблон',
    instead: 'Лучше',
    length: 'Длина ответа',
    upTo: (limit: number) => `до ${limit} символов`,
    actions: {
      handover: 'Передать в отдел',
      ask: 'Запросить у клиента',
      close: 'Закрыть обращение без ответа',
      escalate: 'Эскалировать',
    },
    priority: 'Приоритет',
    when: 'Когда',
    conditions: {
      topics: 'темы',
      keywords: 'ключевые слова',
      patterns: 'шаблоны',
      channels: 'каналы',
      sentiment: 'тональность',
      missing: 'нет данных',
    },
    sentiments: { negative: 'негативная', neutral: 'нейтральная', positive: 'позитивная' },
    reason: 'Причина',
    departments: 'Отделы',
  },
  en: {
    questions: 'How customers ask:',
    steps: {
      greeting: 'greeting',
      introduction: 'introduction',
      thanks: 'thanks',
      apology: 'apology',
      hold: 'asking to wait',
      closing: 'closing',
    },
    positions: {
      start: 'at the start of the reply',
      end: 'at the end of the reply',
      any: 'anywhere in the reply',
    },
    step: 'Script step',
    required: 'required',
    optional: 'optional',
    channels: 'Channels',
    variants: 'Variants:',
    detect: 'Recognised by',
    rules: 'Reply rules',
    address: { vy: 'formal address (вы)', ty: 'informal address (ты)' },
    banned: 'Banned:',
    mustHave: 'Required:',
    pattern: 'pattern',
    instead: 'Instead',
    length: 'Reply length',
    upTo: (limit: number) => `up to ${limit} characters`,
    actions: {
      handover: 'Hand over to',
      ask: 'Ask the customer for',
      close: 'Close without a reply',
      escalate: 'Escalate',
    },
    priority: 'Priority',
    when: 'When',
    conditions: {
      topics: 'topics',
      keywords: 'keywords',
      patterns: 'patterns',
      channels: 'channels',
      sentiment: 'sentiment',
      missing: 'missing',
    },
    sentiments: { negative: 'negative', neutral: 'neutral', positive: 'positive' },
    reason: 'Reason',
    departments: 'Departments',
  },
};
type Labels = (typeof LABELS)['ru'];

function labelsFor(language: string | undefined): Labels {
  return language === 'en' ? LABELS.en : LABELS.ru;
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function lines(...parts: (string | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n');
}

function stepText(step: ScriptStep, labels: Labels): string {
  const flags = [step.required ? labels.required : labels.optional, labels.positions[step.position]];
  return lines(
    `${labels.step}: ${labels.steps[step.step]} (${flags.join(', ')}).`,
    step.channels && `${labels.channels}: ${step.channels.join(', ')}.`,
    labels.variants,
    ...step.variants.map((variant) => `- ${variant}`),
    step.detect.length > 0 && `${labels.detect}: ${step.detect.join(', ')}.`,
  );
}

function rulesText(file: ScriptsFile, labels: Labels): string {
  const { banned, required, length } = file.rules;
  const what = (rule: { phrase?: string | undefined; pattern?: string | undefined }) =>
    rule.phrase !== undefined ? `«${rule.phrase}»` : `${labels.pattern} /${rule.pattern}/`;
  const where = (rule: { channels?: readonly string[] | undefined }) =>
    rule.channels ? ` (${rule.channels.join(', ')})` : '';
  const limits = Object.entries(length).map(([channel, limit]) => `${channel} — ${labels.upTo(limit)}`);
  return lines(
    `${labels.rules} (${labels.address[file.address]}).`,
    banned.length > 0 && labels.banned,
    ...banned.map(
      (rule) =>
        `- ${what(rule)}${where(rule)} — ${rule.reason}${rule.suggestion ? ` ${labels.instead}: ${rule.suggestion}` : ''}`,
    ),
    required.length > 0 && labels.mustHave,
    ...required.map((rule) => `- ${what(rule)}${where(rule)} — ${rule.reason}`),
    limits.length > 0 && `${labels.length}: ${limits.join(', ')}.`,
  );
}

function ruleSummary(rule: RoutingRule, departments: readonly Department[], labels: Labels): string {
  const department = departments.find((candidate) => candidate.id === rule.department);
  const target = rule.action === 'ask' ? rule.slot : department ? `«${department.name}»` : undefined;
  return target ? `${labels.actions[rule.action]}: ${target}` : labels.actions[rule.action];
}

function ruleText(rule: RoutingRule, departments: readonly Department[], labels: Labels): string {
  const { when } = rule;
  const conditions = [
    when.topics && `${labels.conditions.topics} — ${when.topics.join(', ')}`,
    when.keywords && `${labels.conditions.keywords} — ${when.keywords.join(', ')}`,
    when.patterns &&
      `${labels.conditions.patterns} — ${when.patterns.map((pattern) => `/${pattern}/`).join(', ')}`,
    when.channels && `${labels.conditions.channels} — ${when.channels.join(', ')}`,
    when.sentiment && `${labels.conditions.sentiment} — ${labels.sentiments[when.sentiment]}`,
    when.missing && `${labels.conditions.missing} — ${when.missing.join(', ')}`,
  ].filter((part): part is string => typeof part === 'string');
  return lines(
    `${ruleSummary(rule, departments, labels)}. ${labels.priority}: ${rule.priority}.`,
    `${labels.when}: ${conditions.join('; ')}.`,
    `${labels.reason}: ${rule.reason}`,
  );
}

// ── Documents ─────────────────────────────────────────────────────────────────────────────────

/** The template's slots: every placeholder of `text` and `short`, declared or not. */
function allSlots(template: Template): Record<string, Slot> {
  const slots: Record<string, Slot> = {};
  for (const name of findPlaceholders(`${template.text}\n${template.short ?? ''}`)) {
    slots[name] = template.slots[name] ?? { required: true };
  }
  return slots;
}

/**
 * A template that states an action or a fact as done («заказ отменён», "has been cancelled") must
 * say what the operator checks or does first; `preconditions: []` says nothing is needed.
 */
function undeclaredPreconditions(template: Template): string[] {
  if (template.preconditions !== undefined) return [];
  const stated = statedActions(`${template.text}\n${template.short ?? ''}`);
  if (stated.length === 0) return [];
  const quoted = stated
    .slice(0, 3)
    .map((phrase) => `«${phrase}»`)
    .join(', ');
  return [
    `template ${template.id} states ${quoted} as done but declares no "preconditions": list what the operator must check or do first (or "preconditions: []" when nothing)`,
  ];
}

export function templateDocument(template: Template, fileLanguage: string | undefined): SourceDocument {
  const language = template.language ?? fileLanguage;
  const metadata: TemplateMetadata = {
    type: 'template',
    ...template,
    ...(language ? { language } : {}),
    slots: allSlots(template),
  };
  const questions = template.questions.map((question) => `- ${question}`);
  const warnings = undeclaredPreconditions(template);
  return {
    ...(warnings.length > 0 ? { warnings } : {}),
    documentId: template.id,
    kind: 'template',
    title: template.title,
    ...(language ? { language } : {}),
    tags: mergeTags(template.category, template.tags),
    ...(template.category ? { category: template.category } : {}),
    sections: [
      {
        titlePath: template.category ? [template.category, template.title] : [template.title],
        text:
          questions.length > 0
            ? `${template.text}\n\n${lines(labelsFor(language).questions, ...questions)}`
            : template.text,
        atomic: true,
        metadata,
      },
    ],
  };
}

function scriptDocuments(file: ScriptsFile): SourceDocument[] {
  const labels = labelsFor(file.language);
  const fileTitle = file.title ?? file.id;
  const common = { address: file.address, language: file.language };
  const document = (
    id: string,
    title: string,
    text: string,
    metadata: Record<string, unknown>,
  ): SourceDocument => ({
    documentId: `${file.id}/${id}`,
    kind: 'script',
    title,
    language: file.language,
    tags: [],
    sections: [{ titlePath: [fileTitle, title], text, atomic: true, metadata }],
  });
  return [
    ...file.steps.map((step) =>
      document(
        step.id,
        step.title ?? `${capitalise(labels.steps[step.step])} — ${fileTitle}`,
        stepText(step, labels),
        {
          type: 'script-step',
          ...common,
          ...step,
        },
      ),
    ),
    document('rules', `${labels.rules} — ${fileTitle}`, rulesText(file, labels), {
      type: 'script-rules',
      ...common,
      rules: file.rules,
    }),
  ];
}

function routingDocuments(file: RoutingFile): SourceDocument[] {
  const labels = labelsFor(file.language);
  const fileTitle = file.title ?? file.id;
  const language = file.language ? { language: file.language } : {};
  const departmentsTitle = `${labels.departments} — ${fileTitle}`;
  return [
    ...file.rules.map((rule): SourceDocument => {
      const title = rule.title ?? `${ruleSummary(rule, file.departments, labels)} (${rule.id})`;
      return {
        documentId: rule.id,
        kind: 'routing',
        title,
        ...language,
        tags: rule.when.topics ?? [],
        sections: [
          {
            titlePath: [fileTitle, title],
            text: ruleText(rule, file.departments, labels),
            atomic: true,
            metadata: { type: 'routing-rule', ...rule },
          },
        ],
      };
    }),
    {
      documentId: `${file.id}/departments`,
      kind: 'routing',
      title: departmentsTitle,
      ...language,
      tags: [],
      sections: [
        {
          titlePath: [fileTitle, departmentsTitle],
          text: lines(
            `${labels.departments}:`,
            ...file.departments.map(
              (department) =>
                `- ${department.name} (${department.id})${department.description ? `: ${department.description}` : ''}`,
            ),
          ),
          atomic: true,
          metadata: { type: 'departments', departments: file.departments },
        },
      ],
    },
  ];
}

// ── Loaders ───────────────────────────────────────────────────────────────────────────────────

/** Whether a YAML or JSON file carries a top-level `naparnik:` marker near its start. */
export function hasStructuredMarker(input: LoaderInput): boolean {
  const text = head(input.bytes);
  if (path.extname(input.path).toLowerCase() === '.json') {
    return /^\s*\{/.test(text) && /"naparnik"\s*:\s*"/.test(text);
  }
  return /^naparnik[ \t]*:/m.test(text);
}

/** The glossary as one document, a section per group: search reads the groups from its metadata. */
function glossaryDocument(file: GlossaryFile): SourceDocument {
  const title = file.title ?? file.id;
  return {
    documentId: file.id,
    kind: 'glossary',
    title,
    ...(file.language ? { language: file.language } : {}),
    tags: [],
    sections: file.groups.map((group, index) => ({
      titlePath: [title, group.id ?? `${index + 1}`],
      text: lines(group.terms.join(' = '), group.note),
      atomic: true,
      metadata: { type: 'glossary-group', terms: group.terms },
    })),
  };
}

/** Reply templates, operator scripts, routing rules and glossaries as YAML or JSON (see FORMATS.md). */
export const naparnikStructuredLoader: Loader = {
  id: 'naparnik',
  extensions: ['.yaml', '.yml', '.json'],
  accepts: hasStructuredMarker,
  async load(input) {
    const text = decodeUtf8(input.bytes);
    if (text.trim() === '') throw new IngestError('empty', 'the file is empty');
    const parsed = parseStructured(text, path.extname(input.path).toLowerCase());
    const marker =
      typeof parsed.value === 'object' && parsed.value !== null && 'naparnik' in parsed.value
        ? parsed.value.naparnik
        : undefined;
    switch (marker) {
      case 'templates': {
        const file = validate(templatesFileSchema, parsed);
        return file.items.map((template) => templateDocument(template, file.language));
      }
      case 'scripts':
        return scriptDocuments(validate(scriptsFileSchema, parsed));
      case 'routing':
        return routingDocuments(validate(routingFileSchema, parsed));
      case 'glossary':
        return [glossaryDocument(validate(glossaryFileSchema, parsed))];
      default:
        throw new IngestError(
          'invalid',
          `naparnik: unknown format ${JSON.stringify(marker)} (expected "templates", "scripts", "routing" or "glossary")`,
        );
    }
  },
};

/** Whether a Markdown file's front matter has a `naparnik:` key. */
export function hasTemplateFrontMatter(input: LoaderInput): boolean {
  const frontMatter = FRONT_MATTER.exec(head(input.bytes))?.[1];
  return frontMatter !== undefined && /^naparnik[ \t]*:/m.test(frontMatter);
}

/** One reply template per Markdown file: front matter `naparnik: template`, the body is the text. */
export const naparnikMarkdownTemplateLoader: Loader = {
  id: 'naparnik-markdown-template',
  extensions: ['.md', '.markdown'],
  accepts: hasTemplateFrontMatter,
  async load(input) {
    const text = decodeUtf8(input.bytes);
    const match = FRONT_MATTER.exec(text);
    if (!match) throw new IngestError('invalid', 'no front matter');
    const frontMatter = parseYaml(match[1] ?? '', 1);
    const body = text.slice(match[0].length).trim();
    if (body === '')
      throw new IngestError('invalid', 'text: the template text below the front matter is empty');
    const fields =
      typeof frontMatter.value === 'object' && frontMatter.value !== null ? frontMatter.value : {};
    const {
      naparnik: _marker,
      version: _version,
      ...template
    } = validate(markdownTemplateSchema, {
      value: { ...fields, text: body },
      lineOf: frontMatter.lineOf,
    });
    return [templateDocument(template, undefined)];
  },
};
