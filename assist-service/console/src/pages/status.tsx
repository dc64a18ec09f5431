import { useI18n } from '../i18n.ts';
import type { AsyncState } from '../use-async.ts';

/** Loading and error states, announced to screen readers. */
export function LoadStatus({ state, retry }: { state: AsyncState<unknown>; retry: () => void }) {
  const { t } = useI18n();
  if (state.status === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (state.status === 'error') {
    return (
      <div role="alert" className="error">
        <p>
          {t('common.error')}: {state.error.message}
        </p>
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  return null;
}
