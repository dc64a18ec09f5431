import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Chunk, SourceDocument } from '../model.ts';
import { detectLanguage } from '../text/analyze.ts';

/**
 * Structure first: every section a loader found (an FAQ pair, a template, a script step, the
 * prose under one heading) becomes a chunk, keeping its heading path. Only prose sections longer
 * than `maxCharacters` are split further, at paragraphs, then sentences, with overlap so an
 * answer that straddles a cut is still found whole in one of the two chunks.
 */
export interface ChunkingOptions {
  maxCharacters: number;
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { maxCharacters: 1500, overlap: 200 };

/** Bumped whenever chunking changes output for the same input, so re-ingest rebuilds. */
export const CHUNKING_VERSION = 1;

const SEPARATORS = ['\n\n', '\n', '. ', '! ', '? ', '; ', ', ', ' ', ''];

export async function chunkDocument(
  document: SourceDocument,
  source: string,
  options: ChunkingOptions = DEFAULT_CHUNKING,
): Promise<Chunk[]> {
  const splitter = new RecursiveCharacterTextSplitter({
    chunkSize: options.maxCharacters,
    chunkOverlap: options.overlap,
    separators: SEPARATORS,
  });
  const documentLanguage =
    document.language ?? languageOf(document.sections.map((section) => section.text).join('\n'));
  const tags = normalizeTags(document.tags);
  const chunks: Chunk[] = [];
  for (const section of document.sections) {
    const text = section.text.trim();
    if (!text) continue;
    const pieces =
      section.atomic || text.length <= options.maxCharacters ? [text] : await splitter.splitText(text);
    for (const piece of pieces) {
      const ordinal = chunks.length;
      chunks.push({
        chunkId: `${document.documentId}#${ordinal}`,
        documentId: document.documentId,
        ordinal,
        kind: document.kind,
        title: section.titlePath.at(-1) ?? document.title,
        titlePath: section.titlePath,
        text: piece,
        language:
          document.language ?? (pieces.length > 1 ? documentLanguage : languageOf(piece, documentLanguage)),
        tags,
        ...(document.category ? { category: document.category } : {}),
        source,
        ...(section.metadata || document.metadata
          ? { metadata: { ...document.metadata, ...section.metadata } }
          : {}),
      });
    }
  }
  return chunks;
}

function languageOf(text: string, fallback = 'ru'): string {
  const detected = detectLanguage(text);
  return detected === 'und' ? fallback : detected;
}

export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}
