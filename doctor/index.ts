export { diagnoseWorkspace, DoctorCheck, exitCodeOf, Verdict, worst } from './doctor';
export type { CheckResult, DoctorPort, DoctorTarget, WorkspaceDiagnosis } from './doctor';
export { closestProfile, NOT_OBSERVABLE_READ_ONLY, observe, observedSettings } from './observations';
export type { Observation, ReadOnlyEvidence } from './observations';
export { renderDiagnoses } from './render';
