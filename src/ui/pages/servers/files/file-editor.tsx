// The text editor for a server's config files: opens a UTF-8 file, saves it whole (the panel replaces the file at
// once, never half-written), warns before replacing a file that changed since it was opened (the server itself may
// have rewritten it), and before closing with unsaved changes. Ctrl+S (⌘S) saves.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { describeError } from '../../../api/api-error.ts';
import { downloadUrl, readTextFile, saveTextFile, statFile } from '../../../api/files.api.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Notice } from '../../../components/notice.tsx';
import { TimeText } from '../../../components/time-text.tsx';
import { formatBytes } from '../../resources/format.ts';
import { baseName } from './file-paths.ts';

type Opened = { content: string; modifiedAt: string };

export function FileEditor({ serverId, path, canEdit, onClose }: { serverId: string; path: string; canEdit: boolean; onClose: () => void }) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'changed' | 'discard' | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const labelId = useId();

  useEffect(() => {
    let gone = false;
    Promise.all([readTextFile(serverId, path), statFile(serverId, path)]).then(
      ([file, entry]) => {
        if (gone) return;
        setOpened({ content: file.content, modifiedAt: entry.modifiedAt });
        setText(file.content);
        area.current?.focus();
      },
      (err: unknown) => !gone && setLoadError(describeError(err)),
    );
    return () => {
      gone = true;
    };
  }, [serverId, path]);

  const dirty = opened !== null && text !== opened.content;
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const write = async () => {
    setBusy(true);
    setConfirm(null);
    try {
      const saved = await saveTextFile(serverId, path, text);
      setOpened({ content: text, modifiedAt: saved.entry.modifiedAt });
      setNotice(`Saved (${formatBytes(saved.bytes)}).`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!opened || busy || !canEdit) return;
    setError(null);
    setNotice(null);
    // Changed by someone else (or by the server) since it was opened: ask before replacing their change.
    const now = await statFile(serverId, path).catch(() => null);
    if (now && now.modifiedAt !== opened.modifiedAt) {
      setConfirm('changed');
      return;
    }
    await write();
  };

  const close = () => (dirty ? setConfirm('discard') : onClose());

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    }
  };

  const lines = text === '' ? 0 : text.split('\n').length;
  return (
    <section class="card file-editor" aria-labelledby={labelId} data-testid="file-editor">
      <div class="section-head">
        <h3 id={labelId}>
          <span class="mono">{baseName(path)}</span> <span class="muted small mono">{path}</span>
          {dirty ? (
            <span class="badge badge-warning badge-inline" data-testid="editor-dirty">
              Unsaved changes
            </span>
          ) : null}
        </h3>
        <div class="row-actions">
          <a class="btn btn-small" href={downloadUrl(serverId, path)} download={baseName(path)}>
            Download
          </a>
          {canEdit ? (
            <button type="button" class="btn btn-small btn-primary" onClick={() => void save()} disabled={!opened || busy || !dirty} data-testid="editor-save">
              {busy ? 'Saving…' : 'Save'}
            </button>
          ) : null}
          <button type="button" class="btn btn-small" onClick={close} data-testid="editor-close">
            Close
          </button>
        </div>
      </div>
      <ErrorMessage message={loadError} />
      {!opened && !loadError ? <Loading label="Opening the file…" /> : null}
      {opened ? (
        <>
          <textarea
            ref={area}
            class="code-editor"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            readOnly={!canEdit}
            spellcheck={false}
            autoComplete="off"
            autoCapitalize="off"
            wrap="off"
            aria-labelledby={labelId}
            data-testid="editor-text"
          />
          <p class="muted small" data-testid="editor-facts">
            {lines} line{lines === 1 ? '' : 's'} · {formatBytes(new TextEncoder().encode(text).length)} · last modified <TimeText iso={opened.modifiedAt} withSeconds />
            {canEdit ? ' · Ctrl+S saves' : ' · read only: you may view these files but not change them'}
          </p>
        </>
      ) : null}
      <ErrorMessage message={error} />
      <Notice message={notice} />
      <ConfirmDialog
        open={confirm === 'changed'}
        title="The file changed since you opened it"
        confirmLabel="Replace it with mine"
        danger
        busy={busy}
        onConfirm={() => void write()}
        onCancel={() => setConfirm(null)}
      >
        <p>Something else (perhaps the server itself) wrote to {baseName(path)} after you opened it. Saving replaces that version with yours.</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm === 'discard'} title="Discard your changes?" confirmLabel="Discard" danger onConfirm={onClose} onCancel={() => setConfirm(null)}>
        <p>Your changes to {baseName(path)} have not been saved.</p>
      </ConfirmDialog>
    </section>
  );
}
