import { diffLines } from 'diff';

/**
 * Line changes between two versions: removed lines marked «−», added «+», in a list a screen
 * reader reads in order (the marks and the <del>/<ins> elements carry the meaning, not colour).
 */
export function VersionDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = diffLines(before, after);
  return (
    <figure className="diff" aria-label={label}>
      <pre className="version-diff">
        {parts.map((part, index) => {
          const lines = part.value.replace(/\n$/u, '').split('\n');
          const mark = part.added ? '+ ' : part.removed ? '− ' : '  ';
          const text = lines.map((line) => `${mark}${line}`).join('\n');
          const key = `${index}-${part.added ? 'a' : part.removed ? 'r' : 's'}`;
          if (part.added) return <ins key={key}>{`${text}\n`}</ins>;
          if (part.removed) return <del key={key}>{`${text}\n`}</del>;
          return <span key={key}>{`${text}\n`}</span>;
        })}
      </pre>
    </figure>
  );
}
