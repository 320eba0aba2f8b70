// One directory's entries: folders first, each with its size, time and permissions, a check box for the actions on
// several at once, and its own actions. A link is shown as a link and never followed.
import type { FileEntry } from '../../../api/files.api.ts';
import { TimeText } from '../../../components/time-text.tsx';
import { Link } from '../../../router/link.tsx';
import { formatBytes } from '../../resources/format.ts';
import { isArchive, looksLikeText } from './file-paths.ts';

export type EntryAction = 'rename' | 'copy' | 'chmod' | 'extract' | 'delete';

type FileTableProps = {
  entries: FileEntry[];
  canEdit: boolean;
  selected: ReadonlySet<string>;
  busy: boolean;
  downloadHref: (entry: FileEntry) => string;
  onToggle: (name: string) => void;
  onToggleAll: () => void;
  dirHref: (name: string) => string;
  onEdit: (entry: FileEntry) => void;
  onAction: (action: EntryAction, entry: FileEntry) => void;
};

const typeLabel: Record<FileEntry['type'], string> = { directory: 'Folder', file: 'File', symlink: 'Link', other: 'Special file' };

function EntryName({ entry, dirHref, onEdit, downloadHref }: { entry: FileEntry } & Pick<FileTableProps, 'dirHref' | 'onEdit' | 'downloadHref'>) {
  if (entry.type === 'directory') {
    return (
      <Link href={dirHref(entry.name)} class="file-name file-dir" data-testid="file-open-dir">
        {entry.name}/
      </Link>
    );
  }
  if (entry.type === 'file' && looksLikeText(entry.name)) {
    return (
      <button type="button" class="btn-link file-name" onClick={() => onEdit(entry)} data-testid="file-open-text">
        {entry.name}
      </button>
    );
  }
  if (entry.type === 'file') {
    return (
      <a class="file-name" href={downloadHref(entry)} download={entry.name} data-testid="file-open-download">
        {entry.name}
      </a>
    );
  }
  return (
    <span class="file-name">
      {entry.name}{' '}
      <span class="badge badge-warning badge-inline" title={entry.type === 'symlink' ? 'Links are never followed: not by the panel, not over SFTP.' : 'A FIFO, socket or device: it cannot be opened here.'}>
        {typeLabel[entry.type]}
      </span>
    </span>
  );
}

export function FileTable(props: FileTableProps) {
  const { entries, canEdit, selected } = props;
  const all = entries.length > 0 && entries.every((e) => selected.has(e.name));
  return (
    <div class="table-wrap">
      <table class="table table-compact file-table" data-testid="file-table">
        <caption class="visually-hidden">Files in this folder</caption>
        <thead>
          <tr>
            {canEdit ? (
              <th scope="col" class="cell-check">
                <input type="checkbox" checked={all} onChange={props.onToggleAll} aria-label="Select every entry" data-testid="file-select-all" disabled={entries.length === 0} />
              </th>
            ) : null}
            <th scope="col">Name</th>
            <th scope="col" class="cell-number">
              Size
            </th>
            <th scope="col">Modified</th>
            <th scope="col">Permissions</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={canEdit ? 6 : 5} class="empty" data-testid="files-empty">
                This folder is empty.{canEdit ? ' Drop files here or use Upload.' : ''}
              </td>
            </tr>
          ) : (
            entries.map((entry) => (
              <tr key={entry.name} data-testid="file-row" data-name={entry.name} data-type={entry.type} class={selected.has(entry.name) ? 'row-selected' : undefined}>
                {canEdit ? (
                  <td class="cell-check">
                    <input type="checkbox" checked={selected.has(entry.name)} onChange={() => props.onToggle(entry.name)} aria-label={`Select ${entry.name}`} data-testid="file-select" />
                  </td>
                ) : null}
                <th scope="row" class="cell-wrap">
                  <EntryName entry={entry} dirHref={props.dirHref} onEdit={props.onEdit} downloadHref={props.downloadHref} />
                </th>
                <td class="cell-number">{entry.type === 'file' ? formatBytes(entry.size) : <span class="muted">—</span>}</td>
                <td>
                  <TimeText iso={entry.modifiedAt} />
                </td>
                <td class="mono">{entry.type === 'symlink' ? <span class="muted">—</span> : entry.mode}</td>
                <td>
                  <div class="row-actions file-actions">
                    {entry.type === 'file' ? (
                      <a class="btn btn-small" href={props.downloadHref(entry)} download={entry.name} data-testid="file-download">
                        Download
                      </a>
                    ) : null}
                    {entry.type === 'file' ? (
                      <button type="button" class="btn btn-small" onClick={() => props.onEdit(entry)} data-testid="file-edit">
                        {canEdit ? 'Edit' : 'View'}
                      </button>
                    ) : null}
                    {canEdit && entry.type === 'file' && isArchive(entry.name) ? (
                      <button type="button" class="btn btn-small" onClick={() => props.onAction('extract', entry)} disabled={props.busy} data-testid="file-extract">
                        Extract
                      </button>
                    ) : null}
                    {canEdit ? (
                      <>
                        <button type="button" class="btn btn-small" onClick={() => props.onAction('rename', entry)} disabled={props.busy} data-testid="file-rename">
                          Rename
                        </button>
                        {entry.type === 'file' || entry.type === 'directory' ? (
                          <button type="button" class="btn btn-small" onClick={() => props.onAction('copy', entry)} disabled={props.busy} data-testid="file-copy">
                            Copy
                          </button>
                        ) : null}
                        {entry.type === 'file' || entry.type === 'directory' ? (
                          <button type="button" class="btn btn-small" onClick={() => props.onAction('chmod', entry)} disabled={props.busy} data-testid="file-chmod">
                            Permissions
                          </button>
                        ) : null}
                        <button type="button" class="btn btn-small btn-danger-outline" onClick={() => props.onAction('delete', entry)} disabled={props.busy} data-testid="file-delete">
                          Delete
                        </button>
                      </>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
