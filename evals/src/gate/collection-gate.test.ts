import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DocumentRecord, loadIngestConfig, openKnowledgeBase, openSqliteStore } from '@naparnik/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { lastRunStart, runCollectionGate } from './collection-gate.ts';

const record = (documentId: string, updatedAt: string): DocumentRecord => ({
  documentId,
  updatedAt,
  kind: 'faq',
  title: documentId,
  contentHash: documentId,
  source: 'kb.jsonl',
  sourcePath: '/kb.jsonl',
});

describe('the last ingest run', () => {
  it('is the newest cluster of update times', () => {
    const documents = [
      record('a', '2025-01-01T10:00:00.000Z'),
      record('b', '2025-01-02T09:00:00.000Z'),
      record('c', '2025-01-02T09:00:04.000Z'),
    ];
    expect(lastRunStart(documents)).toBe('2025-01-02T09:00:00.000Z');
    expect(lastRunStart([])).toBeUndefined();
  });
});

describe('collection gate', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'collection-gate-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('re-runs only the golden questions whose documents the last ingest changed or removed', async () => {
    let now = new Date('2025-01-01T10:00:00.000Z');
    const store = await openSqliteStore({ dataDir: path.join(directory, 'data'), clock: () => now });
    const kb = await openKnowledgeBase({
      store,
      config: { ...loadIngestConfig({}), dataDir: path.join(directory, 'data') },
    });
    const file = path.join(directory, 'kb.jsonl');
    const write = (entries: Array<{ id: string; question: string; answer: string }>) =>
      writeFileSync(
        file,
        entries.map((entry) => JSON.stringify({ ...entry, kind: 'faq', language: 'ru' })).join('\n'),
      );
    write([
      { id: 'faq-delivery', question: 'Сколько стоит доставка?', answer: 'Доставка курьером 350 рублей.' },
      { id: 'faq-return', question: 'Как вернуть товар?', answer: 'Верните товар в течение 14 дней.' },
      { id: 'faq-warranty', question: 'Какая гарантия на часы?', answer: 'Гарантия на часы 12 месяцев.' },
    ]);
    await kb.ingest([file], { collection: 'shop' });

    now = new Date('2025-01-02T10:00:00.000Z');
    write([
      { id: 'faq-delivery', question: 'Сколько стоит доставка?', answer: 'Доставка курьером 450 рублей.' },
      { id: 'faq-warranty', question: 'Какая гарантия на часы?', answer: 'Гарантия на часы 12 месяцев.' },
    ]);
    await kb.ingest([file], { collection: 'shop', prune: true });

    const golden = [
      { id: 'g-1', query: 'цена доставки курьером', relevant: ['faq-delivery'] },
      { id: 'g-2', query: 'вернуть покупку', relevant: ['faq-return'] },
      { id: 'g-3', query: 'гарантия часов', relevant: ['faq-warranty'] },
    ];
    const result = await runCollectionGate({ kb, collection: 'shop', golden, top: 2 });
    expect(result.since).toBe('2025-01-02T10:00:00.000Z');
    expect(result.changedDocuments).toEqual(['faq-delivery']);
    expect(result.removedDocuments).toEqual(['faq-return']);
    expect(result.checked.map((entry) => [entry.question.id, entry.passed])).toEqual([
      ['g-1', true],
      ['g-2', false],
    ]);
    expect(result.passed).toBe(false);
    expect(result.checked.map((entry) => entry.verdict)).toEqual(['ok', 'lost']);

    // A question that already failed at the previous gate is reported, not counted as a new loss.
    const again = await runCollectionGate({ kb, collection: 'shop', golden, top: 2, previous: result.state });
    expect(again.checked.map((entry) => entry.verdict)).toEqual(['ok', 'still-failing']);
    expect(again.passed).toBe(true);

    const explicit = await runCollectionGate({
      kb,
      collection: 'shop',
      golden,
      top: 2,
      since: '2024-12-31T00:00:00.000Z',
    });
    expect(explicit.checked.map((entry) => entry.question.id)).toEqual(['g-1', 'g-2', 'g-3']);
    await kb.close();
  });
});
