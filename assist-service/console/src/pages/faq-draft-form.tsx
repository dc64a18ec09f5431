import type { FaqDraftResponse, GapCluster } from '@naparnik/assist-service/contract';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { getDocuments } from '../api.ts';
import { type GapFilters, saveFaq } from '../api-gaps.ts';
import { useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { Field } from './field.tsx';
import { NameSelect } from './name-select.tsx';

/** The draft of an FAQ entry, edited by the manager and saved into a collection. */
export function FaqDraftForm({
  cluster,
  draft,
  error,
  collections,
  defaultCollection,
  filters,
  onClose,
}: {
  cluster: GapCluster;
  filters: GapFilters;
  draft: FaqDraftResponse | undefined;
  error: string | undefined;
  collections: string[];
  defaultCollection: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [question, setQuestion] = useState('');
  const [variants, setVariants] = useState('');
  const [answer, setAnswer] = useState('');
  const [collection, setCollection] = useState(defaultCollection);
  const [target, setTarget] = useState<'new' | 'append'>('new');
  const [documentId, setDocumentId] = useState('');
  const [documents, setDocuments] = useState<{ documentId: string; title: string }[]>([]);
  const [status, setStatus] = useState<{ message: string; failed: boolean; saved?: boolean }>();

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (!draft) return;
    setQuestion(draft.question);
    setVariants(draft.variants.join('\n'));
    setAnswer(draft.answer);
  }, [draft]);
  useEffect(() => {
    if (!collection) return;
    getDocuments(collection).then(
      (response) => {
        // The service appends only to JSON Lines FAQ files uploaded through the console.
        const faqs = response.documents.filter(
          (document) => document.kind === 'faq' && document.source.endsWith('.jsonl'),
        );
        setDocuments(faqs);
        setDocumentId((current) =>
          faqs.some((document) => document.documentId === current) ? current : (faqs[0]?.documentId ?? ''),
        );
      },
      () => setDocuments([]),
    );
  }, [collection]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus({ message: t('draft.saving'), failed: false });
    try {
      const saved = await saveFaq(
        {
          collection,
          question,
          answer,
          variants: variants
            .split('\n')
            .map((line) => line.trim())
            .filter((line) => line !== ''),
          language: draft?.language === 'en' ? 'en' : 'ru',
          target: target === 'append' ? { kind: 'append', documentId } : { kind: 'new' },
        },
        { id: cluster.id, filters },
      );
      setStatus({
        message: t('draft.saved', { documentId: saved.documentId, file: saved.file }),
        failed: false,
        saved: true,
      });
    } catch (failure) {
      setStatus({ message: `${t('draft.failed')}: ${(failure as Error).message}`, failed: true });
    }
  };

  return (
    <section className="draft" aria-labelledby="draft-title">
      <h2 id="draft-title" ref={heading} tabIndex={-1}>
        {t('draft.title')}: {cluster.label}
      </h2>
      {error && (
        <p role="alert" className="error">
          {t('draft.failed')}: {error}
        </p>
      )}
      {!draft && !error && <p role="status">{t('common.loading')}</p>}
      {draft && (
        <form onSubmit={submit}>
          <p className="muted">
            {draft.engine === 'offline'
              ? t('draft.offline', { basedOn: draft.basedOn, available: draft.answersAvailable })
              : t('draft.model', {
                  engine: draft.engine,
                  basedOn: draft.basedOn,
                  available: draft.answersAvailable,
                })}
          </p>
          {draft.degraded && (
            <p className="error">{t('draft.degraded', { reason: draft.degraded.reason })}</p>
          )}
          {draft.personalData.length > 0 && (
            <p className="error">
              {t('draft.personalData', { placeholders: draft.personalData.join(', ') })}
            </p>
          )}
          {draft.conflicts.length > 0 && (
            <div>
              <p>{t('draft.conflicts')}</p>
              <ul>
                {draft.conflicts.map((conflict) => (
                  <li key={conflict}>{conflict}</li>
                ))}
              </ul>
            </div>
          )}
          <Field label={t('draft.question')}>
            {(id) => (
              <input
                id={id}
                value={question}
                required
                onChange={(event) => setQuestion(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('draft.variants')}>
            {(id) => (
              <textarea
                id={id}
                rows={3}
                value={variants}
                onChange={(event) => setVariants(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('draft.answer')}>
            {(id) => (
              <textarea
                id={id}
                rows={5}
                value={answer}
                required
                onChange={(event) => setAnswer(event.target.value)}
              />
            )}
          </Field>
          <NameSelect
            label={t('draft.collection')}
            value={collection}
            names={collections}
            onChange={setCollection}
          />
          <fieldset>
            <legend>{t('draft.target')}</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="target"
                checked={target === 'new'}
                onChange={() => setTarget('new')}
              />
              {t('draft.new')}
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name="target"
                checked={target === 'append'}
                disabled={documents.length === 0}
                onChange={() => setTarget('append')}
              />
              {documents.length === 0
                ? `${t('draft.append')} — ${t('draft.noDocuments')}`
                : t('draft.append')}
            </label>
            {target === 'append' && (
              <NameSelect
                label={t('draft.document')}
                value={documentId}
                names={documents.map((document) => ({
                  value: document.documentId,
                  label: `${document.title} (${document.documentId})`,
                }))}
                onChange={setDocumentId}
              />
            )}
          </fieldset>
          <div className="toolbar">
            <button type="submit" disabled={status?.message === t('draft.saving')}>
              {t('draft.save')}
            </button>
            <button type="button" onClick={onClose}>
              {t('draft.cancel')}
            </button>
          </div>
        </form>
      )}
      <p role="status" className={status?.failed ? 'error' : undefined}>
        {status?.message ?? ''} {status?.saved && <a href={href('try')}>{t('nav.try')}</a>}
      </p>
    </section>
  );
}
