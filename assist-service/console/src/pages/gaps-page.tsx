import type { FaqDraftResponse, GapCluster, GapReason } from '@naparnik/assist-service/contract';
import './gaps.css';
import { useEffect, useState } from 'react';
import { getCollections } from '../api.ts';
import { draftFaq, type GapFilters, getKnowledgeGaps } from '../api-gaps.ts';
import { formatDateTime, useI18n } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { FaqDraftForm } from './faq-draft-form.tsx';
import { Field } from './field.tsx';
import { NameSelect } from './name-select.tsx';
import { OperatorEdits } from './operator-edits.tsx';
import { LoadStatus } from './status.tsx';

const SPANS = [7, 30, 90] as const;
const REASONS: GapReason[] = ['low-confidence', 'dismissed', 'rewritten'];

/**
 * Knowledge gaps (issue 12): clusters of questions the knowledge base did not answer, ranked by how
 * often they came up; "Draft an FAQ entry" opens an editable draft made from operators' replies,
 * saved into a collection through the ingest library. Below: operators' repeated edits.
 */
export function GapsPage() {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState<GapFilters>({ days: 30 });
  const [collections, setCollections] = useState<string[]>([]);
  const [drafting, setDrafting] = useState<{
    cluster: GapCluster;
    draft?: FaqDraftResponse;
    error?: string;
  }>();
  const [state, reload] = useAsync(() => getKnowledgeGaps(filters), [filters.days, filters.collection]);

  useEffect(() => {
    getCollections().then(
      (response) => setCollections(response.collections.map((collection) => collection.name)),
      () => setCollections([]),
    );
  }, []);

  const startDraft = async (cluster: GapCluster) => {
    setDrafting({ cluster });
    try {
      setDrafting({ cluster, draft: await draftFaq(cluster.id, filters) });
    } catch (error) {
      setDrafting({ cluster, error: (error as Error).message });
    }
  };

  return (
    <section aria-labelledby="gaps-title">
      <h1 id="gaps-title">{t('gaps.title')}</h1>
      <p className="muted">{t('gaps.intro')}</p>
      <div className="toolbar">
        <Field label={t('gaps.period')}>
          {(id) => (
            <select
              id={id}
              value={filters.days}
              onChange={(event) => setFilters({ ...filters, days: Number(event.target.value) })}
            >
              {SPANS.map((days) => (
                <option key={days} value={days}>
                  {t('gaps.days', { days })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <NameSelect
          label={t('gaps.collection')}
          value={filters.collection ?? ''}
          names={collections}
          empty={t('common.all')}
          onChange={(collection) => {
            const { collection: _previous, ...rest } = filters;
            setFilters(collection ? { ...rest, collection } : rest);
          }}
        />
      </div>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <p role="status">
            {t(state.value.cached ? 'gaps.summaryCached' : 'gaps.summary', {
              records: state.value.records,
              total: state.value.total,
              ms: Math.round(state.value.clusteringMs),
            })}
          </p>
          {state.value.clusters.length === 0 ? (
            <p>{t('gaps.empty')}</p>
          ) : (
            <table className="gaps">
              <caption>{t('gaps.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('gaps.question')}</th>
                  <th scope="col" className="number">
                    {t('gaps.size')}
                  </th>
                  <th scope="col">{t('gaps.reasons')}</th>
                  <th scope="col" className="number">
                    {t('gaps.answers')}
                  </th>
                  <th scope="col">{t('gaps.last')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('gaps.draft')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.value.clusters.map((cluster) => (
                  <tr key={cluster.id}>
                    <th scope="row">
                      {cluster.label}
                      <details>
                        <summary>{t('gaps.examples', { count: cluster.examples.length })}</summary>
                        <ul>
                          {cluster.examples.map((example) => (
                            <li key={`${example.question}-${example.at}`}>
                              {example.question} <span className="muted">×{example.count}</span>
                            </li>
                          ))}
                        </ul>
                      </details>
                    </th>
                    <td className="number">{cluster.size}</td>
                    <td>
                      {REASONS.filter((reason) => cluster.reasons[reason] > 0)
                        .map((reason) => `${t(`gaps.reason.${reason}`)}: ${cluster.reasons[reason]}`)
                        .join(', ')}
                    </td>
                    <td className="number">{cluster.sentAnswers}</td>
                    <td>{formatDateTime(language, cluster.lastAt)}</td>
                    <td>
                      <button
                        type="button"
                        disabled={cluster.sentAnswers === 0}
                        title={cluster.sentAnswers === 0 ? t('gaps.noAnswers') : undefined}
                        aria-label={`${t('gaps.draft')}: ${cluster.label}`}
                        onClick={() => startDraft(cluster)}
                      >
                        {t('gaps.draft')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {drafting && (
        <FaqDraftForm
          key={drafting.cluster.id}
          cluster={drafting.cluster}
          draft={drafting.draft}
          error={drafting.error}
          collections={collections}
          defaultCollection={filters.collection ?? drafting.cluster.collections[0] ?? collections[0] ?? ''}
          filters={filters}
          onClose={() => setDrafting(undefined)}
        />
      )}
      <OperatorEdits filters={filters} />
    </section>
  );
}
