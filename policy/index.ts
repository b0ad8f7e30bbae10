export * from './rule';
export * from './rule-pack';
export * from './suppressions';
export * from './placeholders';
export * from './guardrails-aspect';
export { PERSONAL_EMAIL_DOMAINS } from './rules/email';
