// The apply report. Pure (shared/domain/report.ts) so the renderer can show the same thing; re-exported
// here for main-side callers, with what only main can know: the computer account that runs Spokesmith.
import { userInfo } from 'node:os';

export {
  renderReport,
  reportData,
  reportFacts,
  escapeHtml,
  type ReportOptions,
  type ReportData,
  type RunBy,
} from '../../shared/domain/report';

/** The OS account name for a report's "Run by"; null where the OS has none for this process. */
export function currentOsUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    // userInfo() throws when the uid has no passwd entry (some containers).
    return null;
  }
}
