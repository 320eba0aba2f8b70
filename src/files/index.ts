// Server files: a filesystem confined to each server's data directory, used by the HTTP file API and SFTP.
export { createConfinedFs, CHMOD_MASK, TEMP_PREFIX, type ConfinedFs, type Entry, type EntryType } from './confined-fs.ts';
export { createFilesService, type FileArea, type FileLimits, type FilesService } from './files.service.ts';
export { displayPath, splitPath } from './paths.ts';
export { createArchive, extractArchive, formatOf, type ArchiveFormat, type ExtractLimits } from './archives.ts';
