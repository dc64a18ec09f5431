import type { AssistResponse, SearchResponse } from '@naparnik/assist-service/contract';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { assist, getCollections, search } from '../api.ts';
import { parseConversationText } from '../conversation-text.ts';
import { formatPercent, type MessageKey, useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { NameSelect } from './name-select.tsx';

interface Outcome {
  assist: AssistResponse;
  search: SearchResponse;
}

/**
 * What the copilot would retrieve and suggest for a pasted message: the same /v1/assist the panel
 * calls and the same /v1/search its search box calls, nothing of its own.
 */
export function TryPage() {
  const { t, language } = useI18n();
  const messageId = useId();
  const [collections, setCollections] = useState<string[]>([]);
  const [collection, setCollection] = useState('');
  const [text, setText] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    getCollections().then(
      (response) => {
        const names = response.collections.map((item) => item.name);
        setCollections(names);
        setCollection((current) => current || names[0] || '');
      },
      (failure: unknown) => setError((failure as Error).message),
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const messages = parseConversationText(text);
    if (!collection || messages.length === 0) return;
    setRunning(true);
    setError(undefined);
    try {
      const lastCustomer = [...messages].reverse().find((message) => message.role === 'customer');
      const [assistResponse, searchResponse] = await Promise.all([
        assist(collection, messages),
        search(collection, lastCustomer?.text ?? messages.at(-1)!.text),
      ]);
      setOutcome({ assist: assistResponse, search: searchResponse });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section aria-labelledby="try-title">
      <h1 id="try-title">{t('try.title')}</h1>
      <p className="muted">{t('try.intro')}</p>
      <form onSubmit={submit} className="try-form">
        <NameSelect
          label={t('try.collection')}
          value={collection}
          names={collections}
          onChange={setCollection}
        />
        <label htmlFor={messageId}>{t('try.message')}</label>
        <textarea
          id={messageId}
          rows={7}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey))
              event.currentTarget.form?.requestSubmit();
          }}
        />
        <div>
          <button type="submit" disabled={running || text.trim() === '' || !collection}>
            {running ? t('try.running') : t('try.run')}
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {t('common.error')}: {error}
        </p>
      )}
      <div aria-live="polite">
        {outcome && (
          <div className="try-results">
            <section aria-labelledby="suggestions-title">
              <h2 id="suggestions-title">
                {t('try.suggestions')}{' '}
                <span className="muted">{t('try.tookMs', { ms: Math.round(outcome.assist.tookMs) })}</span>
              </h2>
              <p className="muted">
                {t('try.detected')}: {outcome.assist.detected.language}
                {outcome.assist.detected.topic && (
                  <>
                    , {t('try.topic')} «{outcome.assist.detected.topic.label}»
                  </>
                )}
                ; {outcome.assist.engine}
              </p>
              {outcome.assist.suggestions.length === 0 && <p>{t('try.noSuggestions')}</p>}
              <ol className="suggestions">
                {outcome.assist.suggestions.map((suggestion) => (
                  <li key={suggestion.index} className="suggestion">
                    <p className="suggestion-meta">
                      <span className="badge">{t(`kind.${suggestion.kind}` as MessageKey)}</span>{' '}
                      {suggestion.title && <strong>{suggestion.title}</strong>}{' '}
                      <span className={`badge level-${suggestion.confidence.level}`}>
                        {t('try.confidence')} {formatPercent(language, suggestion.confidence.score)}
                      </span>
                    </p>
                    <p className="suggestion-text">{suggestion.text}</p>
                    {suggestion.citations.length > 0 && (
                      <div className="citations">
                        <h3>{t('try.citations')}</h3>
                        <ul className="citation-list">
                          {suggestion.citations.map((citation) => (
                            <li key={citation.chunkId}>
                              <a href={href('knowledge', outcome.assist.collection, citation.documentId)}>
                                {citation.title}
                              </a>{' '}
                              <span className="muted">({citation.documentId})</span>
                              <blockquote>{citation.quote}</blockquote>
                            </li>
                          ))}
                        </ul>
                      </div>
                    )}
                  </li>
                ))}
              </ol>
              {outcome.assist.nextActions.length > 0 && (
                <>
                  <h3>{t('try.nextActions')}</h3>
                  <ul>
                    {outcome.assist.nextActions.map((action) => (
                      <li key={`${action.type}-${action.ruleId ?? action.reason}`}>
                        <strong>{action.type}</strong>: {action.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <section aria-labelledby="retrieved-title">
              <h2 id="retrieved-title">
                {t('try.retrieved')}{' '}
                <span className="muted">{t('try.tookMs', { ms: Math.round(outcome.search.tookMs) })}</span>
              </h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col" className="number">
                      {t('try.score')}
                    </th>
                    <th scope="col">{t('knowledge.documentTitle')}</th>
                    <th scope="col">{t('knowledge.kind')}</th>
                    <th scope="col">{t('knowledge.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.search.hits.map((hit) => (
                    <tr key={hit.chunkId}>
                      <td className="number">{hit.score.toFixed(3)}</td>
                      <th scope="row">
                        <a href={href('knowledge', outcome.search.collection, hit.documentId)}>{hit.title}</a>
                      </th>
                      <td>{t(`kind.${hit.kind}` as MessageKey)}</td>
                      <td>{hit.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        )}
      </div>
    </section>
  );
}
