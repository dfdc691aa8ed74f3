export { ERROR_TABLE, errors } from './errors.js';
