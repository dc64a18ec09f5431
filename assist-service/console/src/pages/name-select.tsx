import { Field } from './field.tsx';

/**
 * A labelled select of plain names (collections, documents): the value is the name, and `empty`,
 * when given, is a first option that stands for "none chosen".
 */
export function NameSelect({
  label,
  value,
  names,
  empty,
  onChange,
}: {
  label: string;
  value: string;
  names: readonly string[] | readonly { value: string; label: string }[];
  empty?: string;
  onChange: (value: string) => void;
}) {
  const options = names.map((name) => (typeof name === 'string' ? { value: name, label: name } : name));
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
