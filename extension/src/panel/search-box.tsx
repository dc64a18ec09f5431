import type { SearchResponse } from '@naparnik/assist-service/contract';
import { type FormEvent, useState } from 'react';
import type { Result } from '../messaging.ts';
import type { Strings } from './strings.ts';

export function SearchBox({
  search,
  strings,
  onCopy,
}: {
  search(query: string): Promise<Result<SearchResponse>>;
  strings: Strings;
  onCopy(text: string): Promise<boolean>;
}) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<Result<SearchResponse>>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setResult(await search(query.trim()));
    setBusy(false);
  };

  return (
    <div className="np-search">
      <form onSubmit={(event) => void submit(event)}>
        <input
          type="search"
          value={query}
          placeholder={strings.searchPlaceholder}
          aria-label={strings.searchPlaceholder}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {strings.searchButton}
        </button>
      </form>
      {result && !result.ok ? <p className="np-error">{result.error.message}</p> : null}
      {result?.ok && result.data.hits.length === 0 ? <p className="np-muted">{strings.searchEmpty}</p> : null}
      {result?.ok ? (
        <ul className="np-hits">
          {result.data.hits.map((hit) => (
            <li key={hit.chunkId}>
              <strong>{hit.title}</strong>
              <p>{hit.text.length > 400 ? `${hit.text.slice(0, 400)}…` : hit.text}</p>
              <button type="button" onClick={() => void onCopy(hit.text)}>
                {strings.copy}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
