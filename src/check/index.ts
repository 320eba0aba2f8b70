// The live security checklist: each item of the documentation's Security Checklist checked on this host and panel.
export { CHECK_IDS, CHECKS, runChecklist } from './checklist.ts';
export { createChecklistService, type ChecklistService } from './checklist.service.ts';
export { createHostProbe, type HostProbe, type RunResult, type TlsResult } from './host-probe.ts';
export { readSshdConfig, parseSshdT, type SshdSettings } from './sshd-config.ts';
export { parseUfwStatus } from './checks/firewall.check.ts';
export { compareVersions } from './checks/panel-version.check.ts';
export type { Check, CheckContext, CheckItem, ChecklistReport, CheckOutcome, CheckRuntime, CheckStatus } from './check.types.ts';
