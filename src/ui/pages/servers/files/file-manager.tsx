// A server's files: browse folders (the folder is in the address, so Back works), upload several files at once by
// picking or dropping them (each with a progress bar), download, edit text files, make folders and files, rename or
// move, copy, change permissions, delete, archive and extract. Without server.files.edit it is read only. The panel
// confines every path to the server's data directory; what it refuses is shown as its message.
import type { TargetedDragEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../../api/api-error.ts';
import {
  archiveEntries,
  changeMode,
  copyEntry,
  deleteEntry,
  downloadUrl,
  extractArchive,
  getSftpEndpoint,
  listFiles,
  makeDirectory,
  renameEntry,
  uploadFile,
  type ArchiveFormat,
  type FileEntry,
} from '../../../api/files.api.ts';
import type { Server } from '../../../api/servers.types.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Notice } from '../../../components/notice.tsx';
import { PromptDialog } from '../../../components/prompt-dialog.tsx';
import { SelectField } from '../../../components/select-field.tsx';
import { useLoad } from '../../../hooks/use-load.ts';
import { navigate, useLocation } from '../../../router/history.ts';
import { Link } from '../../../router/link.tsx';
import { mayOnServer } from '../../../session/scopes.ts';
import { serverPath } from '../servers-paths.ts';
import { archiveStem, crumbsOf, joinPath, nameProblem, normalizeDir, parentOf, pathProblem } from './file-paths.ts';
import { FileEditor } from './file-editor.tsx';
import { FileTable, type EntryAction } from './file-table.tsx';
import { SftpCard } from './sftp-card.tsx';
import { UploadList } from './upload-list.tsx';
import { useUploads } from './use-uploads.ts';
import './files.css';

type Dialog =
  | { kind: 'mkdir' | 'newfile' | 'archive' | 'delete'; entry?: undefined }
  | { kind: Exclude<EntryAction, 'delete'>; entry: FileEntry }
  | { kind: 'delete-one'; entry: FileEntry };

/** "config.yml" → "config copy.yml", so a copy sits beside its original. */
const copyName = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} copy${name.slice(dot)}` : `${name} copy`;
};

/** A name (in this folder) or a path from the root (starting with "/"), as the rename, copy and extract fields take. */
function targetOf(dir: string, value: string): { path: string } | { problem: string } {
  if (value.startsWith('/')) {
    const problem = pathProblem(value);
    return problem ? { problem } : { path: normalizeDir(value) };
  }
  const problem = value.includes('/') ? pathProblem(value) : nameProblem(value);
  return problem ? { problem } : { path: normalizeDir(joinPath(dir, value)) };
}

const withExtension = (name: string, format: ArchiveFormat) => {
  const bare = name.replace(/\.(tar\.gz|tgz|zip)$/i, '');
  return `${bare}.${format}`;
};

export function FileManager({ server }: { server: Server }) {
  const { query } = useLocation();
  const dir = normalizeDir(query.get('path') ?? '/');
  const editing = query.get('edit');
  const canEdit = mayOnServer(server, 'server.files.edit');
  const listing = useLoad(() => listFiles(server.id, dir), [server.id, dir]);
  const endpoint = useLoad(getSftpEndpoint);
  const uploads = useUploads(server.id, listing.reload);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [format, setFormat] = useState<ArchiveFormat>('tar.gz');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => setSelected(new Set()), [dir]);

  const base = serverPath(server.id, 'files');
  const dirHref = (path: string) => (path === '/' ? base : `${base}?${new URLSearchParams({ path })}`);
  const openDir = (path: string) => navigate(dirHref(path));
  const openEditor = (entry: FileEntry) => navigate(`${base}?${new URLSearchParams({ path: dir, edit: joinPath(dir, entry.name) })}`);
  const closeEditor = () => navigate(dirHref(dir));
  const entries = listing.data?.entries ?? [];

  const closeDialog = () => {
    setDialog(null);
    setDialogError(null);
  };
  const open = (next: Dialog) => {
    setDialogError(null);
    setDialog(next);
  };

  /** Runs a change from a dialog: its refusal stays in the dialog, its success closes it and reloads the folder. */
  const change = async (action: () => Promise<string>) => {
    setBusy(true);
    setDialogError(null);
    setError(null);
    setNotice(null);
    try {
      const done = await action();
      closeDialog();
      setNotice(done);
      setSelected(new Set());
      listing.reload();
    } catch (err) {
      setDialogError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const submitPrompt = (value: string) => {
    if (!dialog) return;
    if (dialog.kind === 'mkdir' || dialog.kind === 'newfile') {
      const problem = nameProblem(value);
      if (problem) return setDialogError(problem);
      const path = joinPath(dir, value);
      if (dialog.kind === 'mkdir') return void change(async () => (await makeDirectory(server.id, path), `Folder ${value} made.`));
      return void change(async () => {
        await uploadFile(server.id, path, new Blob([]), { overwrite: false });
        navigate(`${base}?${new URLSearchParams({ path: dir, edit: path })}`);
        return `File ${value} made.`;
      });
    }
    if (dialog.kind === 'archive') {
      const name = withExtension(value, format);
      const problem = nameProblem(name);
      if (problem) return setDialogError(problem);
      const names = [...selected];
      return void change(async () => {
        const made = await archiveEntries(server.id, names.map((n) => joinPath(dir, n)), joinPath(dir, name), format);
        return `Archive ${name} made: ${made.entries} entr${made.entries === 1 ? 'y' : 'ies'}${made.skipped ? `, ${made.skipped} link or special file${made.skipped === 1 ? '' : 's'} left out` : ''}.`;
      });
    }
    if (dialog.kind === 'chmod') {
      if (!/^0?[0-7]{3}$/.test(value)) return setDialogError('Enter the permission bits in octal, such as 0644 (files) or 0755 (folders and scripts).');
      const { entry } = dialog;
      return void change(async () => (await changeMode(server.id, joinPath(dir, entry.name), value), `Permissions of ${entry.name} set to ${value.padStart(4, '0')}.`));
    }
    const { entry } = dialog;
    if (!entry || dialog.kind === 'delete-one') return;
    const target = targetOf(dir, value);
    if ('problem' in target) return setDialogError(target.problem);
    const from = joinPath(dir, entry.name);
    if (dialog.kind === 'rename') return void change(async () => (await renameEntry(server.id, from, target.path), `${entry.name} is now ${target.path}.`));
    if (dialog.kind === 'copy') return void change(async () => (await copyEntry(server.id, from, target.path), `${entry.name} copied to ${target.path}.`));
    return void change(async () => {
      const out = await extractArchive(server.id, from, target.path);
      return `${entry.name} extracted into ${target.path}: ${out.files} file${out.files === 1 ? '' : 's'}, ${out.directories} folder${out.directories === 1 ? '' : 's'}.`;
    });
  };

  const remove = (names: string[]) =>
    change(async () => {
      const byName = new Map(entries.map((e) => [e.name, e]));
      for (const name of names) await deleteEntry(server.id, joinPath(dir, name), byName.get(name)?.type === 'directory');
      return names.length === 1 ? `${names[0]} deleted.` : `${names.length} entries deleted.`;
    });

  const onAction = (action: EntryAction, entry: FileEntry) => (action === 'delete' ? open({ kind: 'delete-one', entry }) : open({ kind: action, entry }));

  const pick = (files: FileList | null) => {
    if (files && files.length) uploads.add([...files], dir);
    if (picker.current) picker.current.value = '';
  };

  // Dropping files anywhere on the file manager uploads them into the folder shown.
  const hasFiles = (event: TargetedDragEvent<HTMLElement>) => !!event.dataTransfer && [...event.dataTransfer.types].includes('Files');
  const onDragEnter = (event: TargetedDragEvent<HTMLElement>) => {
    if (!canEdit || !hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current += 1;
    setDragging(true);
  };
  const onDragOver = (event: TargetedDragEvent<HTMLElement>) => {
    if (!canEdit || !hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragging(false);
  };
  const onDrop = (event: TargetedDragEvent<HTMLElement>) => {
    if (!canEdit || !hasFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const items = [...event.dataTransfer.items].filter((i) => i.kind === 'file');
    const folders = items.filter((i) => i.webkitGetAsEntry?.()?.isDirectory).length;
    const files = [...event.dataTransfer.files].filter((_, i) => !items[i]?.webkitGetAsEntry?.()?.isDirectory);
    setError(folders ? `${folders} folder${folders === 1 ? ' was' : 's were'} left out: upload a .zip of it and extract it here, or use SFTP.` : null);
    if (files.length) uploads.add(files, dir);
  };

  if (editing) {
    const path = normalizeDir(editing);
    return (
      <section class="servers-section" aria-label="Files">
        <PathBar base={base} dir={parentOf(path)} dirHref={dirHref} />
        <FileEditor key={path} serverId={server.id} path={path} canEdit={canEdit} onClose={closeEditor} />
      </section>
    );
  }

  const selectedNames = [...selected].filter((n) => entries.some((e) => e.name === n));
  const promptDialog = dialog && dialog.kind !== 'delete' && dialog.kind !== 'delete-one' ? dialog : null;
  const prompt = promptDialog ? promptFor(promptDialog, dir, selectedNames) : null;

  return (
    <section
      class={`servers-section file-manager${dragging ? ' file-drop-active' : ''}`}
      aria-label="Files"
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-testid="file-manager"
    >
      {mayOnServer(server, 'server.sftp') ? <SftpCard server={server} endpoint={endpoint.data} /> : null}
      <div class="table-toolbar file-toolbar">
        <PathBar base={base} dir={dir} dirHref={dirHref} />
        <div class="row-actions">
          {dir !== '/' ? (
            <button type="button" class="btn btn-small" onClick={() => openDir(parentOf(dir))} data-testid="files-up">
              Up
            </button>
          ) : null}
          <button type="button" class="btn btn-small" onClick={listing.reload} disabled={listing.loading} data-testid="files-refresh">
            Refresh
          </button>
          {canEdit ? (
            <>
              <button type="button" class="btn btn-small" onClick={() => open({ kind: 'mkdir' })} data-testid="files-mkdir">
                New folder
              </button>
              <button type="button" class="btn btn-small" onClick={() => open({ kind: 'newfile' })} data-testid="files-newfile">
                New file
              </button>
              <button type="button" class="btn btn-small btn-primary" onClick={() => picker.current?.click()} data-testid="files-upload">
                Upload
              </button>
              <input ref={picker} type="file" multiple hidden onChange={(event) => pick(event.currentTarget.files)} data-testid="files-upload-input" />
            </>
          ) : null}
        </div>
      </div>
      {canEdit && selectedNames.length ? (
        <div class="file-selection" role="region" aria-label="Selected entries" data-testid="file-selection">
          <span>
            {selectedNames.length} selected
          </span>
          <button type="button" class="btn btn-small" onClick={() => open({ kind: 'archive' })} disabled={busy} data-testid="files-archive">
            Archive…
          </button>
          <button type="button" class="btn btn-small btn-danger-outline" onClick={() => open({ kind: 'delete' })} disabled={busy} data-testid="files-delete-selected">
            Delete…
          </button>
          <button type="button" class="btn btn-small btn-ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      ) : null}
      <UploadList uploads={uploads.uploads} onCancel={uploads.cancel} onReplace={uploads.replace} onRetry={uploads.retry} onClear={uploads.clearFinished} />
      <ErrorMessage message={error ?? listing.error} />
      <Notice message={notice} />
      {dragging ? (
        <p class="file-drop-hint" aria-live="polite" data-testid="file-drop-hint">
          Drop the files to upload them into <span class="mono">{dir}</span>
        </p>
      ) : null}
      {listing.loading && !listing.data ? (
        <Loading label="Reading the folder…" />
      ) : listing.data ? (
        <>
          <FileTable
            entries={entries}
            canEdit={canEdit}
            selected={selected}
            busy={busy}
            downloadHref={(entry) => downloadUrl(server.id, joinPath(dir, entry.name))}
            dirHref={(name) => dirHref(joinPath(dir, name))}
            onToggle={(name) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (!next.delete(name)) next.add(name);
                return next;
              })
            }
            onToggleAll={() => setSelected((prev) => (entries.every((e) => prev.has(e.name)) ? new Set() : new Set(entries.map((e) => e.name))))}
            onEdit={openEditor}
            onAction={onAction}
          />
          {listing.data.truncated ? <p class="muted small">Only the first 10,000 entries are shown; use SFTP for the rest.</p> : null}
        </>
      ) : null}
      {prompt ? (
        <PromptDialog open title={prompt.title} label={prompt.label} hint={prompt.hint} initial={prompt.initial} confirmLabel={prompt.confirm} busy={busy} error={dialogError} onSubmit={submitPrompt} onCancel={closeDialog}>
          {dialog?.kind === 'archive' ? (
            <SelectField
              label="Format"
              value={format}
              onValue={(v) => setFormat(v as ArchiveFormat)}
              options={[
                { value: 'tar.gz', label: 'tar.gz (keeps permissions)' },
                { value: 'zip', label: 'zip' },
              ]}
              testId="archive-format"
            />
          ) : null}
        </PromptDialog>
      ) : null}
      <ConfirmDialog
        open={dialog?.kind === 'delete' || dialog?.kind === 'delete-one'}
        title={dialog?.kind === 'delete-one' ? `Delete ${dialog.entry.name}?` : `Delete ${selectedNames.length} entries?`}
        confirmLabel="Delete"
        danger
        busy={busy}
        onConfirm={() => void remove(dialog?.kind === 'delete-one' ? [dialog.entry.name] : selectedNames)}
        onCancel={closeDialog}
      >
        <p>
          {dialog?.kind === 'delete-one' && dialog.entry.type === 'directory'
            ? 'The folder and everything in it are deleted. This cannot be undone.'
            : dialog?.kind === 'delete-one' && dialog.entry.type === 'symlink'
              ? 'The link itself is deleted, never what it points to.'
              : 'Folders are deleted with everything in them. This cannot be undone.'}
        </p>
        {dialog?.kind === 'delete' ? <p class="mono small">{selectedNames.slice(0, 10).join(', ') + (selectedNames.length > 10 ? ', …' : '')}</p> : null}
        <ErrorMessage message={dialogError} />
      </ConfirmDialog>
    </section>
  );
}

/** The title, field and default of each dialog that asks for a value. */
function promptFor(dialog: Exclude<Dialog, { kind: 'delete' | 'delete-one' }>, dir: string, selected: string[]) {
  const inFolder = `In ${dir}. `;
  switch (dialog.kind) {
    case 'mkdir':
      return { title: 'New folder', label: 'Name', initial: '', confirm: 'Make folder', hint: inFolder };
    case 'newfile':
      return { title: 'New file', label: 'Name', initial: '', confirm: 'Make and edit', hint: `${inFolder}An empty file is made and opened in the editor.` };
    case 'archive':
      return {
        title: `Archive ${selected.length === 1 ? selected[0] : `${selected.length} entries`}`,
        label: 'Archive name',
        initial: selected.length === 1 ? `${selected[0]}.tar.gz` : `archive-${new Date().toISOString().slice(0, 10)}.tar.gz`,
        confirm: 'Make archive',
        hint: `${inFolder}Links and special files are left out.`,
      };
    case 'rename':
      return { title: `Rename ${dialog.entry.name}`, label: 'New name', initial: dialog.entry.name, confirm: 'Rename', hint: 'A name in this folder, or a path from the server\'s root (starting with /) to move it.' };
    case 'copy':
      return { title: `Copy ${dialog.entry.name}`, label: 'Copy to', initial: copyName(dialog.entry.name), confirm: 'Copy', hint: 'A name in this folder, or a path from the server\'s root (starting with /).' };
    case 'chmod':
      return { title: `Permissions of ${dialog.entry.name}`, label: 'Mode (octal)', initial: dialog.entry.mode, confirm: 'Set', hint: 'Read, write and execute bits for owner, group and others: 0644 for files, 0755 for folders and scripts.' };
    case 'extract':
      return {
        title: `Extract ${dialog.entry.name}`,
        label: 'Into folder',
        initial: archiveStem(dialog.entry.name),
        confirm: 'Extract',
        hint: 'A folder in this one (made if missing; files in it with the same names are replaced), or a path from the server\'s root. Archives with links or paths leaving the folder are refused whole.',
      };
  }
}

function PathBar({ base, dir, dirHref }: { base: string; dir: string; dirHref: (path: string) => string }) {
  const crumbs = crumbsOf(dir);
  return (
    <nav class="breadcrumb file-path" aria-label="Folder" data-testid="file-path" data-path={dir}>
      {crumbs.map((c, i) => (
        <span key={c.path}>
          {i > 0 ? <span aria-hidden="true"> / </span> : null}
          {i === crumbs.length - 1 ? (
            <span aria-current="page" class={i === 0 ? undefined : 'mono'}>
              {c.name}
            </span>
          ) : (
            <Link href={i === 0 ? base : dirHref(c.path)} class={i === 0 ? undefined : 'mono'}>
              {c.name}
            </Link>
          )}
        </span>
      ))}
    </nav>
  );
}
