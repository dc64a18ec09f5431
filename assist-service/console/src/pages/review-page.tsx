import { useState } from 'react';
import { decideVersion, getReviewQueue } from '../api.ts';
import { formatDateTime, useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { useAsync } from '../use-async.ts';
import { ApproveControls, type Viewer } from './approve-controls.tsx';
import { LoadStatus } from './status.tsx';
import { authorOf, VersionColumns } from './versions-table.tsx';

/** The review queue: versions waiting for approval, and documents marked as needing review. */
export function ReviewPage({ viewer }: { viewer: Viewer }) {
  const { t, language } = useI18n();
  const [queue, reload] = useAsync(() => getReviewQueue(), []);
  const [said, setSaid] = useState<{ text: string; failed: boolean }>();
  const [working, setWorking] = useState(false);

  const decide = async (
    collection: string,
    documentId: string,
    version: number,
    decision: 'approve' | 'reject',
    overrideReason?: string,
  ) => {
    setWorking(true);
    try {
      await decideVersion(collection, documentId, version, decision, '', overrideReason);
      setSaid({ text: t(decision === 'approve' ? 'status.served' : 'status.rejected'), failed: false });
      reload();
    } catch (error) {
      setSaid({ text: `${t('edit.failed')}: ${(error as Error).message}`, failed: true });
    } finally {
      setWorking(false);
    }
  };

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <p className="muted">{t('review.intro')}</p>
      <p role="status" className={said?.failed ? 'error' : undefined}>
        {said?.text ?? ''}
      </p>
      <LoadStatus state={queue} retry={reload} />
      {queue.status === 'done' && (
        <>
          <h2>{t('review.pending')}</h2>
          {queue.value.pending.length === 0 ? (
            <p>{t('review.noPending')}</p>
          ) : (
            <table>
              <VersionColumns keys={['review.document', 'versions.number']} />
              <tbody>
                {queue.value.pending.map((version) => (
                  <tr key={`${version.collection}/${version.documentId}/${version.version}`}>
                    <th scope="row">
                      <a href={href('knowledge', version.collection, version.documentId, 'edit')}>
                        {version.title}
                      </a>
                      <div className="muted">
                        {version.collection} · {version.documentId}
                      </div>
                    </th>
                    <td className="number">{version.version}</td>
                    <td>{authorOf(version, t('versions.outside'))}</td>
                    <td className="nowrap">{formatDateTime(language, version.createdAt)}</td>
                    <td>
                      {t(`source.${version.source}`)}
                      <div className="muted">{version.sourceFile}</div>
                    </td>
                    <td>{version.note}</td>
                    <td>
                      <div className="toolbar">
                        <ApproveControls
                          version={version}
                          viewer={viewer}
                          working={working}
                          label={version.title}
                          onApprove={(overrideReason) =>
                            decide(
                              version.collection,
                              version.documentId,
                              version.version,
                              'approve',
                              overrideReason,
                            )
                          }
                        />
                        <button
                          type="button"
                          disabled={working}
                          onClick={() =>
                            decide(version.collection, version.documentId, version.version, 'reject')
                          }
                        >
                          {t('versions.reject')}
                          <span className="visually-hidden"> {version.title}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('review.flagged')}</h2>
          {queue.value.flagged.length === 0 ? (
            <p>{t('review.noFlagged')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('review.document')}</th>
                  <th scope="col">{t('edit.needsReviewNote')}</th>
                  <th scope="col">{t('versions.who')}</th>
                  <th scope="col">{t('versions.when')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.value.flagged.map((flag) => (
                  <tr key={`${flag.collection}/${flag.documentId}`}>
                    <th scope="row">
                      <a href={href('knowledge', flag.collection, flag.documentId, 'edit')}>{flag.title}</a>
                      <div className="muted">
                        {flag.collection} · {flag.documentId}
                      </div>
                    </th>
                    <td>{flag.note}</td>
                    <td>{`${flag.flaggedBy.name} (${flag.flaggedBy.role})`}</td>
                    <td className="nowrap">{formatDateTime(language, flag.flaggedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
