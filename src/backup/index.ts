// Encrypted backups: writing, reading and checking, restoring, retention, and the panel's backup service.
export { createBackupService, lastSlot, listBackupFiles, type BackupService, type BackupFile, type BackupJob, type BackupLabel } from './backup.service.ts';
export type { RestoreTestResult } from './restore-test.ts';
export { decryptStream, encryptStream, isRecipient, newIdentity, type Opening, type Sealing } from './age.ts';
export { BACKUP_EXTENSION, type Manifest } from './format.ts';
export { readBackup } from './reader.ts';
export { restoreBackup, type RestoreTarget, type RestoreResult } from './restore.ts';
export { backupsToKeep, DEFAULT_RETENTION, type RetentionPolicy } from './retention.ts';
export { writeBackup, type BackupProgress } from './writer.ts';
