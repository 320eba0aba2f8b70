// Where the Security checklist page lives.

export const CHECKLIST_PATH = '/security-checklist';
