import { useState } from 'react';
import { deleteDocument, reingestDocument } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { href } from '../route.ts';

type State =
  | { step: 'idle' }
  | { step: 'confirm-delete' }
  | { step: 'working' }
  | { step: 'said'; message: string; failed: boolean };

/** Re-ingest a document's file, or delete the document (after a second, explicit click). */
export function DocumentActions({
  collection,
  documentId,
  title,
  onReingested,
}: {
  collection: string;
  documentId: string;
  title: string;
  onReingested: () => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ step: 'idle' });
  const fail = (error: unknown) =>
    setState({
      step: 'said',
      failed: true,
      message: `${t('knowledge.actionFailed')}: ${(error as Error).message}`,
    });

  const reingest = async () => {
    setState({ step: 'working' });
    try {
      const result = await reingestDocument(collection, documentId);
      setState({
        step: 'said',
        failed: false,
        message: t('knowledge.reingested', {
          updated: result.updated,
          unchanged: result.unchanged,
          removed: result.removed,
        }),
      });
      onReingested();
    } catch (error) {
      fail(error);
    }
  };

  const remove = async () => {
    setState({ step: 'working' });
    try {
      await deleteDocument(collection, documentId);
      window.location.hash = href('knowledge', collection);
    } catch (error) {
      fail(error);
    }
  };

  return (
    <div className="document-actions">
      {state.step === 'confirm-delete' ? (
        <div className="toolbar">
          <p>{t('knowledge.confirmDelete', { title })}</p>
          <button type="button" className="danger" onClick={remove}>
            {t('knowledge.confirm')}
          </button>
          <button type="button" onClick={() => setState({ step: 'idle' })}>
            {t('knowledge.cancel')}
          </button>
        </div>
      ) : (
        <div className="toolbar">
          <button type="button" disabled={state.step === 'working'} onClick={reingest}>
            {t('knowledge.reingest')}
          </button>
          <button
            type="button"
            disabled={state.step === 'working'}
            onClick={() => setState({ step: 'confirm-delete' })}
          >
            {t('knowledge.delete')}
          </button>
        </div>
      )}
      <p role="status" className={state.step === 'said' && state.failed ? 'error' : undefined}>
        {state.step === 'working' ? t('knowledge.working') : state.step === 'said' ? state.message : ''}
      </p>
    </div>
  );
}
