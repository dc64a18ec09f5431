import type { IngestFileResult } from '@naparnik/assist-service/contract';
import { type DragEvent, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n.ts';
import { itemsFromDrop, itemsFromFiles, type UploadItem, uploadFile } from '../upload.ts';

type Row =
  | { path: string; state: 'queued' }
  | { path: string; state: 'sending'; fraction: number }
  | { path: string; state: 'ingesting' }
  | { path: string; state: 'done'; result: IngestFileResult }
  | { path: string; state: 'failed'; message: string };

/**
 * Files or a folder into a collection, one request per file, one after another: each row shows
 * its own progress and its own result or error, and one bad file never stops the rest.
 */
export function UploadPanel({ collection, onUploaded }: { collection: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Row[]>([]);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const hintId = useId();

  const run = async (items: UploadItem[]) => {
    if (items.length === 0) return;
    setBusy(true);
    const offset = rows.length;
    setRows((previous) => [
      ...previous,
      ...items.map((item) => ({ path: item.path, state: 'queued' as const })),
    ]);
    const update = (index: number, row: Row) =>
      setRows((previous) =>
        previous.map((current, position) => (position === offset + index ? row : current)),
      );
    for (const [index, item] of items.entries()) {
      update(index, { path: item.path, state: 'sending', fraction: 0 });
      try {
        const result = await uploadFile(collection, item, (fraction) =>
          update(
            index,
            fraction < 1
              ? { path: item.path, state: 'sending', fraction }
              : { path: item.path, state: 'ingesting' },
          ),
        );
        update(index, { path: item.path, state: 'done', result });
      } catch (error) {
        update(index, { path: item.path, state: 'failed', message: (error as Error).message });
      }
    }
    setBusy(false);
    onUploaded();
  };

  const onDrop = async (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    if (busy) return;
    await run(await itemsFromDrop(event.dataTransfer));
  };

  const done = rows.filter((row) => row.state === 'done').length;
  const failed = rows.filter((row) => row.state === 'failed').length;

  return (
    <section
      className="upload"
      aria-labelledby={titleId}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id={titleId}>{t('upload.title')}</h2>
      <p id={hintId} className="muted">
        {t('upload.hint')}
      </p>
      {/* Dropping anywhere on the section works (mouse only); the two buttons do the same from the keyboard. */}
      <div className={dragging ? 'drop-zone dragging' : 'drop-zone'} data-testid="drop-zone">
        <p>{t('upload.drop')}</p>
        <div className="toolbar">
          {(['files', 'folder'] as const).map((what) => (
            <FileChooser
              key={what}
              folder={what === 'folder'}
              disabled={busy}
              describedBy={hintId}
              onChosen={run}
            />
          ))}
          {rows.length > 0 && !busy && (
            <button type="button" onClick={() => setRows([])}>
              {t('upload.clear')}
            </button>
          )}
        </div>
      </div>
      {rows.length > 0 && (
        <>
          <p role="status">{t('upload.summary', { total: rows.length, done, failed })}</p>
          <table className="upload-table">
            <thead>
              <tr>
                <th scope="col">{t('upload.file')}</th>
                <th scope="col">{t('upload.progress')}</th>
                <th scope="col">{t('upload.result')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the same path may be uploaded twice; rows only grow.
                <tr key={index} data-state={row.state}>
                  <th scope="row">{row.path}</th>
                  <td>
                    <progress
                      aria-label={`${t('upload.progress')}: ${row.path}`}
                      max={1}
                      value={row.state === 'sending' ? row.fraction : row.state === 'queued' ? 0 : 1}
                    />
                  </td>
                  <td className={row.state === 'failed' ? 'error' : undefined}>{describe(row, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** A button that opens the browser's chooser for files, or for a folder (walked with its subfolders). */
function FileChooser({
  folder,
  disabled,
  describedBy,
  onChosen,
}: {
  folder: boolean;
  disabled: boolean;
  describedBy: string;
  onChosen: (items: UploadItem[]) => void;
}) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement | null>(null);
  const label = t(folder ? 'upload.chooseFolder' : 'upload.chooseFiles');
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => input.current?.click()}
        aria-describedby={describedBy}
      >
        {label}
      </button>
      <input
        ref={(element) => {
          input.current = element;
          // React does not know the attribute; Chromium and Firefox read a folder with it.
          if (folder) element?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        multiple
        hidden
        aria-label={label}
        onChange={(event) => {
          const items = itemsFromFiles(Array.from(event.target.files ?? []));
          event.target.value = '';
          onChosen(items);
        }}
      />
    </>
  );
}

function describe(row: Row, t: ReturnType<typeof useI18n>['t']): string {
  switch (row.state) {
    case 'queued':
      return t('upload.queued');
    case 'sending':
      return `${t('upload.sending')} ${Math.round(row.fraction * 100)}%`;
    case 'ingesting':
      return t('upload.ingesting');
    case 'done':
      if (row.result.pending?.length) return t('upload.pending', { count: row.result.pending.length });
      return t('upload.done', {
        added: row.result.added,
        updated: row.result.updated,
        unchanged: row.result.unchanged,
        chunks: row.result.chunks,
      });
    case 'failed':
      return `${t('upload.failed')}: ${row.message}`;
  }
}
