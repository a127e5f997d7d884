/**
 * Archive coverage (issue 5 §2): who is archived and why not. `refreshCoverage` asks WeCom and the
 * archive itself and stores what it learns; `coverageReport` reads it back for `archive coverage`,
 * `archive status` and `doctor` (coverageDoctorChecks).
 */
export { coverageDoctorChecks, type CoverageDoctorOptions } from './doctor.ts';
export { refreshCoverage, type PartOutcome, type RefreshOptions, type RefreshOutcome } from './refresh.ts';
export { consentCells, CONSENT_HEADERS, renderCoverage, statusLines as coverageStatusLines } from './render.ts';
export { consentHistory, coverageReport, type ConsentEvent, type CoverageReport, type RefusingCustomer } from './report.ts';
