import type { Chunk } from '../model.ts';
import { analyze } from '../text/analyze.ts';
import type { WeightedTerm } from './bm25.ts';

/**
 * Words and phrases that mean the same to customers: «ПВЗ» and «пункт выдачи», «ЛК» and «личный
 * кабинет», «вайлдберриз» and «Wildberries». A question that says one should find knowledge that
 * says another, which neither stems, truncations nor typo correction can do. The built-in groups
 * below are general Russian e-commerce usage; a knowledge base adds its own (`naparnik: glossary`,
 * FORMATS.md), such as the names of its loyalty programme or products.
 */
export interface Glossary {
  /** Groups of equivalent terms, each term as its stems (stop words gone, as search sees it). */
  readonly size: number;
  /**
   * For the stems of a query: every equivalent the query does not say yet, as stems at `weight`,
   * with the query stems that called for it.
   */
  expansions(queryStems: readonly string[]): GlossaryExpansion[];
}

export interface GlossaryExpansion {
  /** The query's stems the group matched («пвз»). */
  said: string[];
  /** One equivalent's stems («пункт», «выдач»). */
  meant: string[];
  /** That equivalent as written in the glossary («пункт выдачи»). */
  text: string;
}

/**
 * Below a word the customer typed (1) and above a typo correction (0.5): an equivalent is what the
 * customer meant, but the knowledge may use the word for something else.
 */
export const GLOSSARY_WEIGHT = 0.7;

/** Written from everyday Russian online-retail support usage, not from any evaluation set. */
export const BUILT_IN_GLOSSARY: readonly (readonly string[])[] = [
  ['ПВЗ', 'пункт выдачи заказов', 'пункт выдачи'],
  ['ЛК', 'личный кабинет'],
  ['WB', 'ВБ', 'Wildberries', 'вайлдберриз', 'валдберис', 'вайлдбериз'],
  ['Ozon', 'Озон'],
  ['Яндекс Маркет', 'Yandex Market', 'ЯМ'],
  ['СБП', 'система быстрых платежей'],
  ['ТК', 'транспортная компания', 'служба доставки'],
  ['трек', 'трек-номер', 'номер отслеживания', 'tracking number'],
  ['SMS', 'СМС', 'эсэмэс'],
  ['e-mail', 'email', 'имейл', 'емейл', 'электронная почта'],
  ['юрлицо', 'юридическое лицо', 'ООО', 'организация'],
  ['физлицо', 'физическое лицо', 'частное лицо'],
  ['баллы', 'бонусы', 'бонусные баллы', 'кэшбэк', 'кешбэк'],
  ['промокод', 'промо-код', 'купон'],
  ['наличные', 'нал', 'наличка'],
  ['СДЭК', 'CDEK', 'сдек'],
  ['Boxberry', 'боксберри'],
  ['Почта России', 'Почта РФ'],
  ['Android', 'андроид', 'андройд'],
  ['iPhone', 'айфон'],
  ['iOS', 'айос'],
  ['Smart TV', 'смарт тв', 'телевизор'],
];

interface Term {
  group: number;
  stems: string[];
  text: string;
}

/** The glossary of built-in groups and a collection's own (`groups`: each a list of equivalent terms). */
export function createGlossary(groups: readonly (readonly string[])[]): Glossary {
  const terms: Term[] = [];
  let size = 0;
  for (const group of groups) {
    const analysed = [
      ...new Map(group.map((text) => [analyze(text).join(' '), { stems: analyze(text), text }])).values(),
    ].filter((term) => term.stems.length > 0);
    if (analysed.length < 2) continue;
    for (const term of analysed) terms.push({ group: size, ...term });
    size++;
  }
  const byGroup = new Map<number, Term[]>();
  for (const term of terms) byGroup.set(term.group, [...(byGroup.get(term.group) ?? []), term]);

  return {
    size,
    expansions(queryStems) {
      const said = new Set(queryStems);
      const result: GlossaryExpansion[] = [];
      const matchedGroups = new Map<number, string[]>();
      for (const term of terms) {
        if (!term.stems.every((stem) => said.has(stem))) continue;
        // The longest matching term of a group is what the customer said.
        const earlier = matchedGroups.get(term.group);
        if (!earlier || earlier.length < term.stems.length) matchedGroups.set(term.group, term.stems);
      }
      for (const [group, stems] of matchedGroups) {
        for (const term of byGroup.get(group) ?? []) {
          if (term.stems.every((stem) => said.has(stem))) continue;
          result.push({ said: stems, meant: term.stems, text: term.text });
        }
      }
      return result;
    },
  };
}

/** The stems an expansion adds to a query, each once, at the glossary's weight. */
export function expansionTerms(
  expansions: readonly GlossaryExpansion[],
  queryStems: readonly string[],
): WeightedTerm[] {
  const said = new Set(queryStems);
  const added = new Set<string>();
  for (const expansion of expansions) {
    for (const stem of expansion.meant) if (!said.has(stem)) added.add(stem);
  }
  return [...added].map((term) => ({ term, weight: GLOSSARY_WEIGHT }));
}

/** The groups a collection's glossary chunks declare (`metadata.type: glossary-group`). */
export function glossaryGroupsOf(chunk: Chunk): string[] | undefined {
  if (chunk.kind !== 'glossary') return undefined;
  const metadata = chunk.metadata as { type?: unknown; terms?: unknown } | undefined;
  if (metadata?.type !== 'glossary-group' || !Array.isArray(metadata.terms)) return undefined;
  const terms = metadata.terms.filter(
    (term): term is string => typeof term === 'string' && term.trim() !== '',
  );
  return terms.length >= 2 ? terms : undefined;
}
