import type { KnowledgeVersion } from '@naparnik/assist-service/contract';
import { Fragment, useState } from 'react';
import { decideVersion } from '../api.ts';
import { formatDateTime, type MessageKey, useI18n } from '../i18n.ts';
import { ApproveControls, type Viewer } from './approve-controls.tsx';
import { VersionDiff } from './version-diff.tsx';

/** The header of a table of versions: its own first columns, then who, when, where from, note, actions. */
export function VersionColumns({ keys }: { keys: MessageKey[] }) {
  const { t } = useI18n();
  const columns: MessageKey[] = [
    ...keys,
    'versions.who',
    'versions.when',
    'versions.source',
    'versions.note',
    'versions.actions',
  ];
  return (
    <thead>
      <tr>
        {columns.map((key) => (
          <th key={key} scope="col">
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** Who made a version: the token's name and role, or "outside the console" for the CLI. */
export function authorOf(version: KnowledgeVersion, outside: string): string {
  return version.author ? `${version.author.name} (${version.author.role})` : outside;
}

/**
 * Every version of a document, newest first: who, when, from where, its state; the changes from
 * the version before it; rollback to it; approve or reject it while it waits for review.
 */
export function VersionsTable({
  collection,
  documentId,
  versions,
  onChanged,
  onMessage,
  viewer,
}: {
  viewer: Viewer;
  collection: string;
  documentId: string;
  versions: KnowledgeVersion[];
  onChanged: () => void;
  onMessage: (message: string, failed: boolean) => void;
}) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState<number>();
  const [working, setWorking] = useState(false);

  const decide = async (
    version: number,
    decision: 'rollback' | 'approve' | 'reject',
    overrideReason?: string,
  ) => {
    setWorking(true);
    try {
      const result = (await decideVersion(collection, documentId, version, decision, '', overrideReason)) as {
        served?: boolean;
        version?: { version: number };
      };
      if (decision === 'rollback' && result.version) {
        onMessage(
          t(result.served ? 'edit.saved' : 'edit.savedPending', { version: result.version.version }),
          false,
        );
      } else {
        onMessage(t(decision === 'approve' ? 'status.served' : 'status.rejected'), false);
      }
      onChanged();
    } catch (error) {
      onMessage(`${t('edit.failed')}: ${(error as Error).message}`, true);
    } finally {
      setWorking(false);
    }
  };

  return (
    <table>
      <caption>{t('versions.title')}</caption>
      <VersionColumns keys={['versions.number', 'versions.status']} />
      <tbody>
        {versions.map((version, index) => {
          const previous = versions.slice(index + 1).find((candidate) => candidate.format === version.format);
          return (
            <Fragment key={version.version}>
              <tr>
                <th scope="row">{version.version}</th>
                <td>
                  <span className={version.status === 'served' ? 'badge ok' : 'badge'}>
                    {t(`status.${version.status}` as MessageKey)}
                  </span>
                </td>
                <td>{authorOf(version, t('versions.outside'))}</td>
                <td className="nowrap">{formatDateTime(language, version.createdAt)}</td>
                <td>
                  {t(`source.${version.source}` as MessageKey)}
                  {version.rollbackOf !== undefined && (
                    <div className="muted">{t('versions.rollbackOf', { version: version.rollbackOf })}</div>
                  )}
                  <div className="muted">{version.sourceFile}</div>
                </td>
                <td>
                  {version.note}
                  {version.reviewedBy && version.reviewedAt && (
                    <div className="muted">
                      {t('versions.reviewed', {
                        decision: t(
                          `status.${version.status === 'rejected' ? 'rejected' : 'served'}` as MessageKey,
                        ),
                        name: version.reviewedBy.name,
                        when: formatDateTime(language, version.reviewedAt),
                      })}
                      {version.reviewNote ? ` — ${version.reviewNote}` : ''}
                      {version.reviewOverride && (
                        <div data-testid="review-override">
                          {t('versions.override', { reason: version.reviewOverride })}
                        </div>
                      )}
                    </div>
                  )}
                </td>
                <td>
                  <div className="toolbar">
                    <button
                      type="button"
                      aria-expanded={open === version.version}
                      onClick={() => setOpen(open === version.version ? undefined : version.version)}
                    >
                      {open === version.version ? t('versions.hideDiff') : t('versions.diff')}
                      <span className="visually-hidden"> ({version.version})</span>
                    </button>
                    {version.editable && version.status !== 'served' && version.status !== 'pending' && (
                      <button
                        type="button"
                        disabled={working}
                        onClick={() => decide(version.version, 'rollback')}
                      >
                        {t('versions.rollback')}
                        <span className="visually-hidden"> ({version.version})</span>
                      </button>
                    )}
                    {version.status === 'pending' && (
                      <>
                        <ApproveControls
                          version={version}
                          viewer={viewer}
                          working={working}
                          label={`(${version.version})`}
                          onApprove={(overrideReason) => decide(version.version, 'approve', overrideReason)}
                        />
                        <button
                          type="button"
                          disabled={working}
                          onClick={() => decide(version.version, 'reject')}
                        >
                          {t('versions.reject')}
                          <span className="visually-hidden"> ({version.version})</span>
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
              {open === version.version && (
                <tr>
                  <td colSpan={7}>
                    {previous ? (
                      <VersionDiff
                        before={previous.content}
                        after={version.content}
                        label={t('versions.diffTitle', {
                          version: version.version,
                          previous: previous.version,
                        })}
                      />
                    ) : (
                      <p className="muted">{t('versions.noPrevious')}</p>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
