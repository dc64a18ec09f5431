import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleSet } from './fixtures/records.ts';
import { MIGRATIONS } from './migrations.ts';
import { migrate, openSqliteEventStore } from './sqlite-event-store.ts';

const directories: string[] = [];
function temporaryFile(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'naparnik-events-'));
  directories.push(directory);
  return path.join(directory, 'events.sqlite');
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const set = sampleSet;

describe('SQLite event store', () => {
  it('keeps a set’s question with personal data masked, and adds the column to a store of schema 1', async () => {
    const file = temporaryFile();
    const old = new DatabaseSync(file);
    expect(migrate(old, MIGRATIONS.slice(0, 1))).toEqual([1]);
    old.close();
    const store = openSqliteEventStore({ file, tenant: 'acme' });
    await store.saveSuggestionSet(set);
    expect((await store.getSuggestionSet('set-1'))?.question).toBeUndefined();
    await store.saveSuggestionSet({ ...set, id: 'set-2', question: 'Где заказ? Звоните +7 916 123-45-67' });
    const question = (await store.getSuggestionSet('set-2'))?.question;
    expect(question).toContain('Где заказ?');
    expect(question).not.toContain('916');
    await store.close();
  });
});
