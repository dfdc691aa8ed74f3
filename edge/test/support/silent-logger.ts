import { silentLogger } from '@citybay/firmware-bridge';

export const logger = silentLogger;
