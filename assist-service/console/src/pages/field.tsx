import { type ReactNode, useId } from 'react';

/**
 * A label tied to its control by id, not by wrapping: a wrapping label's accessible name also
 * takes in the select's current option ("Шаг час"), which screen readers then read twice.
 */
export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
