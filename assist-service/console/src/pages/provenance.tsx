import { getVersions } from '../api.ts';
import { formatDateTime, type MessageKey, useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { useAsync } from '../use-async.ts';
import { authorOf } from './versions-table.tsx';

/** Where the served version of a document came from (who, when, which file), and the way to its editor. */
export function Provenance({ collection, documentId }: { collection: string; documentId: string }) {
  const { t, language } = useI18n();
  const [versions] = useAsync(() => getVersions(collection, documentId), [collection, documentId]);
  const served =
    versions.status === 'done'
      ? versions.value.versions.find((version) => version.status === 'served')
      : undefined;
  return (
    <div className="provenance">
      <p>
        <a className="button" href={href('knowledge', collection, documentId, 'edit')}>
          {t('edit.open')}
        </a>
      </p>
      {served && (
        <p data-testid="provenance">
          <strong>{t('provenance.title')}:</strong>{' '}
          {t('provenance.line', {
            version: served.version,
            source: t(`source.${served.source}` as MessageKey),
            file: served.sourceFile,
            who: authorOf(served, t('versions.outside')),
            when: formatDateTime(language, served.createdAt),
          })}
        </p>
      )}
    </div>
  );
}
