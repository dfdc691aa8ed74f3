import { silentLogger } from '@citybay/common';

export const logger = silentLogger;
