export * from './audit';
export * from './audit-trail';
export * from './render';
export * from './resend';
