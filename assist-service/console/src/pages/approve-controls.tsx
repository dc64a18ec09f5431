import type { KnowledgeVersion } from '@naparnik/assist-service/contract';
import { useId, useState } from 'react';
import { useI18n } from '../i18n.ts';

/** Who is signed in: enough to tell whether they wrote the version under review. */
export interface Viewer {
  name: string;
  role: string;
}

/** Shorter reasons are refused by the service (approveVersionRequestSchema). */
const MIN_REASON = 10;

/**
 * «Согласовать» for a pending version. Four eyes: the version's author cannot approve it, and the
 * button says why instead of failing on click; an admin author may approve with a reason, which
 * the history keeps.
 */
export function ApproveControls({
  version,
  viewer,
  working,
  label,
  onApprove,
}: {
  version: KnowledgeVersion;
  viewer: Viewer;
  working: boolean;
  /** What the button's accessible name adds (the document's title or the version number). */
  label: string;
  onApprove: (overrideReason?: string) => void;
}) {
  const { t } = useI18n();
  const why = useId();
  const [reason, setReason] = useState('');
  const ownChange = version.author?.name === viewer.name;
  if (!ownChange) {
    return (
      <button type="button" disabled={working} onClick={() => onApprove()}>
        {t('versions.approve')}
        <span className="visually-hidden"> {label}</span>
      </button>
    );
  }
  const admin = viewer.role === 'admin';
  return (
    <div className="own-change">
      <button type="button" disabled aria-describedby={why}>
        {t('versions.approve')}
        <span className="visually-hidden"> {label}</span>
      </button>
      <p id={why} className="muted">
        {t('review.ownChange')}
        {admin ? ` ${t('review.adminMay')}` : ''}
      </p>
      {admin && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            onApprove(reason.trim());
          }}
        >
          <label>
            {t('review.overrideReason')}
            <input
              name="overrideReason"
              value={reason}
              minLength={MIN_REASON}
              maxLength={500}
              required
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <button type="submit" disabled={working || reason.trim().length < MIN_REASON}>
            {t('review.override')}
            <span className="visually-hidden"> {label}</span>
          </button>
        </form>
      )}
    </div>
  );
}
