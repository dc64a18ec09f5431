import type { KnowledgeDocument } from '@naparnik/assist-service/contract';
import { useState } from 'react';
import { ApiError, getCollections, getDocument, getDocuments } from '../api.ts';
import { formatDateTime, type MessageKey, useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { useAsync } from '../use-async.ts';
import { DocumentActions } from './document-actions.tsx';
import { Field } from './field.tsx';
import { Provenance } from './provenance.tsx';
import { LoadStatus } from './status.tsx';
import { UploadPanel } from './upload-panel.tsx';

/** Collections → a collection's documents → one document's chunks. */
export function KnowledgePage({ collection, documentId }: { collection?: string; documentId?: string }) {
  if (collection && documentId) return <DocumentView collection={collection} documentId={documentId} />;
  if (collection) return <DocumentsView collection={collection} />;
  return <CollectionsView />;
}

function CollectionsView() {
  const { t, language } = useI18n();
  const [state, reload] = useAsync(getCollections, []);
  return (
    <section aria-labelledby="knowledge-title">
      <h1 id="knowledge-title">{t('knowledge.collections')}</h1>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('knowledge.collection')}</th>
              <th scope="col" className="number">
                {t('knowledge.documents')}
              </th>
              <th scope="col" className="number">
                {t('knowledge.chunks')}
              </th>
              <th scope="col">{t('knowledge.languages')}</th>
              <th scope="col">{t('knowledge.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {state.value.collections.map((item) => (
              <tr key={item.name}>
                <th scope="row">
                  <a href={href('knowledge', item.name)}>{item.name}</a>
                </th>
                <td className="number">
                  <a href={href('knowledge', item.name)}>{item.documents}</a>
                </td>
                <td className="number">
                  <a href={href('knowledge', item.name)}>{item.chunks}</a>
                </td>
                <td>
                  {Object.entries(item.languages)
                    .map(([code, count]) => `${code}: ${count}`)
                    .join(', ')}
                </td>
                <td className="nowrap">{formatDateTime(language, item.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewCollection />
    </section>
  );
}

/** A collection is created by its first uploaded file: this opens the (empty) page to upload into. */
function NewCollection() {
  const { t } = useI18n();
  const [name, setName] = useState('');
  return (
    <form
      className="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) window.location.hash = href('knowledge', name.trim());
      }}
    >
      <Field label={t('knowledge.newCollection')}>
        {(id) => (
          <input
            id={id}
            value={name}
            pattern="[\p{L}\p{N}_.\-]+"
            maxLength={64}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <button type="submit">{t('knowledge.open')}</button>
    </form>
  );
}

function DocumentsView({ collection }: { collection: string }) {
  const { t, language } = useI18n();
  const [state, reload] = useAsync(() => getDocuments(collection), [collection]);
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const needle = filter.trim().toLowerCase();
  const all = state.status === 'done' ? state.value.documents : [];
  const kinds = [...new Set(all.map((document) => document.kind))].sort();
  const documents = all.filter(
    (document) =>
      (kind === '' || document.kind === kind) &&
      (status === '' || document.status === status) &&
      (needle === '' ||
        document.title.toLowerCase().includes(needle) ||
        document.source.toLowerCase().includes(needle) ||
        document.documentId.toLowerCase().includes(needle)),
  );
  return (
    <section aria-labelledby="documents-title">
      <p>
        <a href={href('knowledge')}>{t('knowledge.back')}</a>
      </p>
      <h1 id="documents-title">
        {t('knowledge.documents')}: {collection}
      </h1>
      {state.status === 'error' &&
      state.error instanceof ApiError &&
      state.error.code === 'collection-not-found' ? (
        <p>{t('knowledge.notYet', { collection })}</p>
      ) : (
        <LoadStatus state={state} retry={reload} />
      )}
      <UploadPanel collection={collection} onUploaded={reload} />
      {state.status === 'done' && (
        <>
          <div className="toolbar">
            <Field label={t('knowledge.filter')}>
              {(id) => (
                <input
                  id={id}
                  type="search"
                  value={filter}
                  onChange={(event) => setFilter(event.target.value)}
                />
              )}
            </Field>
            <Field label={t('knowledge.kind')}>
              {(id) => (
                <select id={id} value={kind} onChange={(event) => setKind(event.target.value)}>
                  <option value="">{t('common.all')}</option>
                  {kinds.map((value) => (
                    <option key={value} value={value}>
                      {t(`kind.${value}` as MessageKey)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('knowledge.status')}>
              {(id) => (
                <select id={id} value={status} onChange={(event) => setStatus(event.target.value)}>
                  <option value="">{t('common.all')}</option>
                  {(['ok', 'expired', 'not-yet-valid'] as const).map((value) => (
                    <option key={value} value={value}>
                      {t(`knowledge.status.${value}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <p role="status">
              {t('knowledge.shown', { shown: documents.length, total: state.value.documents.length })}
            </p>
          </div>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('knowledge.documentTitle')}</th>
                <th scope="col">{t('knowledge.kind')}</th>
                <th scope="col">{t('knowledge.source')}</th>
                <th scope="col">{t('knowledge.language')}</th>
                <th scope="col" className="number">
                  {t('knowledge.chunks')}
                </th>
                <th scope="col">{t('knowledge.lastIngested')}</th>
                <th scope="col">{t('knowledge.status')}</th>
              </tr>
            </thead>
            <tbody>
              {documents.map((document) => (
                <tr key={document.documentId}>
                  <th scope="row">
                    <a href={href('knowledge', collection, document.documentId)}>{document.title}</a>
                    <div className="muted">{document.documentId}</div>
                  </th>
                  <td>{t(`kind.${document.kind}` as MessageKey)}</td>
                  <td>{document.source}</td>
                  <td>{document.language}</td>
                  <td className="number">
                    <a href={href('knowledge', collection, document.documentId)}>{document.chunks}</a>
                  </td>
                  <td className="nowrap">{formatDateTime(language, document.lastIngestedAt)}</td>
                  <td>
                    <StatusBadge document={document} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function DocumentView({ collection, documentId }: { collection: string; documentId: string }) {
  const { t, language } = useI18n();
  const [state, reload] = useAsync(() => getDocument(collection, documentId), [collection, documentId]);
  return (
    <section aria-labelledby="document-title">
      <p>
        <a href={href('knowledge', collection)}>{t('knowledge.backToCollection')}</a>
      </p>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <h1 id="document-title">{state.value.document.title}</h1>
          <DocumentActions
            collection={collection}
            documentId={documentId}
            title={state.value.document.title}
            onReingested={reload}
          />
          <Provenance collection={collection} documentId={documentId} />
          <dl className="facts">
            <dt>{t('knowledge.kind')}</dt>
            <dd>{t(`kind.${state.value.document.kind}` as MessageKey)}</dd>
            <dt>{t('knowledge.source')}</dt>
            <dd>{state.value.document.source}</dd>
            <dt>{t('knowledge.language')}</dt>
            <dd>{state.value.document.language}</dd>
            <dt>{t('knowledge.lastIngested')}</dt>
            <dd>{formatDateTime(language, state.value.document.lastIngestedAt)}</dd>
            <dt>{t('knowledge.status')}</dt>
            <dd>
              <StatusBadge document={state.value.document} />
            </dd>
          </dl>
          <h2>
            {t('knowledge.chunkList')} ({state.value.chunks.length})
          </h2>
          <ol className="chunks">
            {state.value.chunks.map((chunk) => (
              <li key={chunk.chunkId} id={`chunk-${chunk.chunkId}`}>
                <h3>{chunk.titlePath.join(' › ') || chunk.title}</h3>
                <p className="chunk-text">{chunk.text}</p>
                {chunk.tags.length > 0 && (
                  <p className="muted">
                    {t('knowledge.tags')}: {chunk.tags.join(', ')}
                  </p>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Ingested, expired or not valid yet, with the validity window the knowledge file states. */
function StatusBadge({ document }: { document: KnowledgeDocument }) {
  const { t } = useI18n();
  const span = [
    document.validFrom && t('knowledge.validFrom', { date: document.validFrom }),
    document.validUntil && t('knowledge.validUntil', { date: document.validUntil }),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <span className={document.status === 'ok' ? 'badge ok' : 'badge level-low'}>
        {t(`knowledge.status.${document.status}`)}
      </span>
      {span && <div className="muted">{span}</div>}
    </>
  );
}
