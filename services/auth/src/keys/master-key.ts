export const MASTER_KEY = Symbol('MASTER_KEY');
