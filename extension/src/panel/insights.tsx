import type { AssistSummary, NextAction } from '@naparnik/assist-service/contract';
import type { Strings } from './strings.ts';

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <section className="np-section">
      <h3>{title}</h3>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}

export function SummaryView({ summary, strings }: { summary: AssistSummary | undefined; strings: Strings }) {
  if (!summary) return <p className="np-muted">{strings.summaryEmpty}</p>;
  const orders = summary.entities.orderIds.map((found) => found.value);
  return (
    <div className="np-summary">
      <section className="np-section">
        <h3>{strings.summaryIssue}</h3>
        <p>{summary.issue}</p>
        <p className={`np-sentiment np-sentiment-${summary.sentiment.label}`}>
          {strings.sentiment[summary.sentiment.label]}
          {orders.length > 0 ? ` · № ${orders.join(', ')}` : ''}
        </p>
      </section>
      <List title={strings.summaryTried} items={summary.tried} />
      <List title={strings.summaryPromised} items={summary.promised} />
      <List title={strings.summaryOpen} items={summary.openQuestions} />
    </div>
  );
}

export function NextActions({ actions, strings }: { actions: NextAction[]; strings: Strings }) {
  if (actions.length === 0) return null;
  const sorted = [...actions].sort((a, b) => b.priority - a.priority);
  return (
    <section className="np-section np-actions">
      <h3>{strings.nextActions}</h3>
      <ul>
        {sorted.map((action) => (
          <li key={`${action.type}-${action.ruleId ?? action.slot ?? action.reason}`}>
            <strong>
              {strings.action[action.type]}
              {action.department ? ` → ${action.department.name}` : ''}
            </strong>
            <span className="np-reason">{action.reason}</span>
            {action.ask ? <span className="np-ask">«{action.ask}»</span> : null}
            {action.precondition ? (
              <span className="np-preconditions" role="note">
                <strong>{strings.firstDo}:</strong> {action.precondition}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
