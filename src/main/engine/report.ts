// The apply report. Pure (shared/domain/report.ts) so the renderer can show the same thing; re-exported
// here for main-side callers.
export {
  renderReport,
  reportData,
  escapeHtml,
  type ReportOptions,
  type ReportData,
} from '../../shared/domain/report';
