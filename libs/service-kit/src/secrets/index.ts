export * from './master-key';
export * from './sealed-secret';
