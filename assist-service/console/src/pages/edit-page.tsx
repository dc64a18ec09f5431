import type { PreviewResponse } from '@naparnik/assist-service/contract';
import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  flagForReview,
  getDocumentEdit,
  getVersions,
  previewContent,
  saveContent,
  setRequireReview,
  validateContent,
} from '../api.ts';
import { parseConversationText } from '../conversation-text.ts';
import { formatDateTime, type MessageKey, useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { useAsync } from '../use-async.ts';
import type { Viewer } from './approve-controls.tsx';
import { LoadStatus } from './status.tsx';
import { VersionsTable } from './versions-table.tsx';

interface Said {
  text: string;
  failed: boolean;
}

const SAMPLE = 'Клиент: Здравствуйте! Где мой заказ № 123456? Меня зовут Анна.';

/**
 * Edit a template, FAQ entry, script step or routing rule in place: the unit as a knowledge file,
 * checked by the service with ingest's parsers, previewed with slots filled from a sample
 * conversation, saved as a new version (or held for review); the versions below with their
 * changes, rollback and review.
 */
export function EditPage({
  collection,
  documentId,
  viewer,
}: {
  collection: string;
  documentId: string;
  viewer: Viewer;
}) {
  const { t, language } = useI18n();
  const contentId = useId();
  const noteId = useId();
  const sampleId = useId();
  const flagId = useId();
  const [edit, reloadEdit] = useAsync(
    () => getDocumentEdit(collection, documentId),
    [collection, documentId],
  );
  const [versions, reloadVersions] = useAsync(
    () => getVersions(collection, documentId),
    [collection, documentId],
  );
  const [content, setContent] = useState<string>();
  const [note, setNote] = useState('');
  const [said, setSaid] = useState<Said>();
  const [check, setCheck] = useState<Said[]>([]);
  const [sample, setSample] = useState(SAMPLE);
  const [preview, setPreview] = useState<PreviewResponse>();
  const [flagNote, setFlagNote] = useState('');
  const [working, setWorking] = useState(false);

  useEffect(() => {
    if (edit.status === 'done') setContent(edit.value.content);
  }, [edit]);

  const reload = () => {
    reloadEdit();
    reloadVersions();
  };
  const run = async (work: () => Promise<void>) => {
    setWorking(true);
    try {
      await work();
    } catch (error) {
      setSaid({ text: `${t('edit.failed')}: ${(error as Error).message}`, failed: true });
    } finally {
      setWorking(false);
    }
  };

  const validate = () =>
    run(async () => {
      const result = await validateContent(collection, documentId, content ?? '');
      setCheck([
        result.valid
          ? { text: t('edit.valid'), failed: false }
          : { text: t('edit.invalid', { message: result.error ?? '' }), failed: true },
        ...result.warnings.map((message) => ({ text: t('edit.warning', { message }), failed: false })),
      ]);
    });

  const save = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      setCheck([]);
      const result = await saveContent(collection, documentId, content ?? '', note);
      setSaid({
        text: t(result.served ? 'edit.saved' : 'edit.savedPending', { version: result.version.version }),
        failed: false,
      });
      setNote('');
      reload();
    });
  };

  const showPreview = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const messages = parseConversationText(sample);
      if (messages.length === 0) return;
      setPreview(await previewContent(collection, documentId, content ?? '', messages));
    });
  };

  if (edit.status !== 'done') return <LoadStatus state={edit} retry={reloadEdit} />;
  const document = edit.value;
  const canPreview = document.kind === 'template' || document.kind === 'faq';

  return (
    <section aria-labelledby="edit-title">
      <p>
        <a href={href('knowledge', collection, documentId)}>{t('edit.back')}</a>
      </p>
      <h1 id="edit-title">{t('edit.title', { title: document.title })}</h1>
      <p className="muted">
        {documentId} · {t(`kind.${document.kind}` as MessageKey)} ·{' '}
        {t('edit.served', { version: document.version })}
        {document.pending.length > 0 &&
          ` · ${t('edit.pendingVersions', { versions: document.pending.join(', ') })}`}
      </p>

      <label className="checkbox">
        <input
          type="checkbox"
          checked={document.requireReview}
          disabled={working}
          onChange={(event) =>
            run(async () => {
              await setRequireReview(collection, event.target.checked);
              reloadEdit();
            })
          }
        />
        {t('edit.requireReview', { collection })}
      </label>

      <div className="review-flag">
        {document.needsReview ? (
          <p>
            <span className="badge level-medium">{t('edit.needsReview')}</span>{' '}
            {t('edit.flaggedBy', {
              name: document.needsReview.flaggedBy.name,
              when: formatDateTime(language, document.needsReview.flaggedAt),
              note: document.needsReview.note,
            })}{' '}
            <button
              type="button"
              disabled={working}
              onClick={() =>
                run(async () => {
                  await flagForReview(collection, documentId, false, '');
                  reloadEdit();
                })
              }
            >
              {t('edit.clearReview')}
            </button>
          </p>
        ) : (
          <div className="toolbar">
            <label htmlFor={flagId}>{t('edit.needsReviewNote')}</label>
            <input id={flagId} value={flagNote} onChange={(event) => setFlagNote(event.target.value)} />
            <button
              type="button"
              disabled={working}
              onClick={() =>
                run(async () => {
                  await flagForReview(collection, documentId, true, flagNote);
                  setFlagNote('');
                  reloadEdit();
                })
              }
            >
              {t('edit.markReview')}
            </button>
          </div>
        )}
      </div>

      {document.editable ? (
        <form onSubmit={save} className="edit-form">
          <label htmlFor={contentId}>{t('edit.content')}</label>
          <p className="muted" id={`${contentId}-hint`}>
            {t(document.format === 'json' ? 'edit.formatHint.json' : 'edit.formatHint.yaml')}
          </p>
          <textarea
            id={contentId}
            aria-describedby={`${contentId}-hint`}
            className="code"
            rows={Math.min(30, Math.max(10, (content ?? '').split('\n').length + 1))}
            spellCheck={false}
            value={content ?? ''}
            onChange={(event) => setContent(event.target.value)}
          />
          <ul className="check-results" aria-live="polite">
            {check.map((line) => (
              <li key={line.text} className={line.failed ? 'error' : undefined}>
                {line.text}
              </li>
            ))}
          </ul>
          <label htmlFor={noteId}>{t('edit.note')}</label>
          <input id={noteId} value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
          <div className="toolbar">
            <button type="button" disabled={working} onClick={validate}>
              {t('edit.validate')}
            </button>
            <button type="submit" disabled={working}>
              {t('edit.save')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{t('edit.notEditable')}</p>
          <pre className="chunk-text">{document.content}</pre>
        </>
      )}
      <p role="status" className={said?.failed ? 'error' : undefined}>
        {said?.text ?? ''}
      </p>

      {document.editable && canPreview && (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">{t('edit.preview')}</h2>
          <form onSubmit={showPreview} className="edit-form">
            <label htmlFor={sampleId}>{t('edit.sample')}</label>
            <p className="muted" id={`${sampleId}-hint`}>
              {t('edit.previewHint')}
            </p>
            <textarea
              id={sampleId}
              aria-describedby={`${sampleId}-hint`}
              rows={4}
              value={sample}
              onChange={(event) => setSample(event.target.value)}
            />
            <div className="toolbar">
              <button type="submit" disabled={working}>
                {t('edit.previewRun')}
              </button>
            </div>
          </form>
          {preview && (
            <div className="preview" aria-live="polite">
              <p className="suggestion-text" data-testid="preview-text">
                {preview.text}
              </p>
              {preview.short && (
                <p className="muted">
                  {t('edit.previewShort')}: {preview.short}
                </p>
              )}
              <dl className="facts">
                <dt>{t('edit.filled')}</dt>
                <dd>
                  {Object.entries(preview.filledSlots)
                    .map(([name, value]) => `${name} = ${value}`)
                    .join(', ') || '—'}
                </dd>
                <dt>{t('edit.missing')}</dt>
                <dd>{preview.missingSlots.join(', ') || '—'}</dd>
              </dl>
            </div>
          )}
        </section>
      )}

      <LoadStatus state={versions} retry={reloadVersions} />
      {versions.status === 'done' && (
        <VersionsTable
          collection={collection}
          documentId={documentId}
          versions={versions.value.versions}
          onChanged={reload}
          onMessage={(text, failed) => setSaid({ text, failed })}
          viewer={viewer}
        />
      )}
    </section>
  );
}
