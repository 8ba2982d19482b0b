/**
 * The config server's master key: from `masterKey` (`RAMPART_CONFIG_MASTER_KEY` or `…_FILE`);
 * when absent — development only — generated once into `<dataDir>/config-master.key` (0600).
 */
import { loadMasterKeyBytes, parseMasterKeyBytes } from '@rampart/chassis';

export const parseMasterKey = parseMasterKeyBytes;

export function loadMasterKey(options: {
  configured: string | undefined;
  dataDir: string;
  onGenerated?: (file: string) => void;
}): Promise<Buffer> {
  return loadMasterKeyBytes({ ...options, file: 'config-master.key' });
}
