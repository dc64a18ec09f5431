import type { GapFilters } from '../api-gaps.ts';
import { getOperatorEdits } from '../api-gaps.ts';
import { useI18n } from '../i18n.ts';
import { href } from '../route.ts';
import { useAsync } from '../use-async.ts';
import { LoadStatus } from './status.tsx';

/** Documents operators keep rewriting the same way, each linked to its page in Knowledge. */
export function OperatorEdits({ filters }: { filters: GapFilters }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => getOperatorEdits(filters), [filters.days, filters.collection]);
  return (
    <section aria-labelledby="edits-title">
      <h2 id="edits-title">{t('edits.title')}</h2>
      <p className="muted">{t('edits.intro')}</p>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' &&
        (state.value.patterns.length === 0 ? (
          <p>{t('edits.empty')}</p>
        ) : (
          <table>
            <caption>{t('edits.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('edits.document')}</th>
                <th scope="col">{t('edits.suggestion')}</th>
                <th scope="col">{t('edits.typical')}</th>
                <th scope="col" className="number">
                  {t('edits.count')}
                </th>
                <th scope="col" className="number">
                  {t('edits.sent')}
                </th>
              </tr>
            </thead>
            <tbody>
              {state.value.patterns.map((pattern) => (
                <tr key={`${pattern.collection}/${pattern.documentId}`}>
                  <th scope="row">
                    <a href={href('knowledge', pattern.collection, pattern.documentId)}>{pattern.title}</a>
                    <div className="muted">
                      {pattern.collection} · {pattern.documentId}
                    </div>
                  </th>
                  <td className="suggestion-text">{pattern.suggestionText}</td>
                  <td className="suggestion-text">{pattern.typicalRewrite}</td>
                  <td className="number">{pattern.count}</td>
                  <td className="number">{pattern.editedSends}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
