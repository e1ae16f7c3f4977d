/** The capture settings of the configuration, read the same way by the service and `npm run worker`. */
import type { Config } from '../config';
import type { CaptureLimits } from './fetcher';

export function captureSettings(config: Pick<Config, 'CAPTURE_ALLOW_HOSTS' | 'CAPTURE_TIMEOUT_SECONDS' | 'CAPTURE_MAX_BYTES' | 'CAPTURE_MAX_REQUESTS'>): { allowHosts: string[]; limits: CaptureLimits } {
  return {
    allowHosts: config.CAPTURE_ALLOW_HOSTS.split(',').map((h) => h.trim()).filter(Boolean),
    limits: { timeMs: config.CAPTURE_TIMEOUT_SECONDS * 1000, totalBytes: config.CAPTURE_MAX_BYTES, requests: config.CAPTURE_MAX_REQUESTS },
  };
}
