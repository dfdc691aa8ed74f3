export { ERROR_TABLE, errors } from './errors.js';
export * from './model/index.js';
