import { EvalRunError } from '../errors.ts';
import type { IdMappingSpec } from '../suite/schema.ts';

/** A documentId as the cases know it; identity when the suite declares no mapping. */
export type IdMapper = (documentId: string) => string;

export function createIdMapper(spec: IdMappingSpec | undefined): IdMapper {
  if (!spec) return (documentId) => documentId;
  const table = spec.ids;
  if (table) return (documentId) => table[documentId] ?? documentId;
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec.pattern ?? '', 'u');
  } catch (error) {
    throw new EvalRunError('suite-invalid', `idMapping.pattern: ${(error as Error).message}`);
  }
  const { group, add, pad } = spec.number;
  return (documentId) => {
    const match = pattern.exec(documentId);
    if (!match) return documentId;
    const captured = match[group];
    if (captured === undefined || !/^\d+$/u.test(captured)) return documentId;
    const number = Number(captured) + add;
    return (spec.format ?? '{n}').replaceAll('{n}', String(number).padStart(pad, '0'));
  };
}

/**
 * The other direction, for what the cases say (history labels): every collection documentId whose
 * mapped id is the given one.
 */
export function reverseMapping(
  documentIds: Iterable<string>,
  mapper: IdMapper,
): (caseId: string) => string[] {
  const byCaseId = new Map<string, string[]>();
  for (const documentId of documentIds) {
    const mapped = mapper(documentId);
    const list = byCaseId.get(mapped);
    if (list) list.push(documentId);
    else byCaseId.set(mapped, [documentId]);
  }
  return (caseId) => byCaseId.get(caseId) ?? [caseId];
}
