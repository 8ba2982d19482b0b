export { KeyManager, type KeyManagerOptions } from './key-manager.js';
export { rotateKeys, type RotateKeysOptions } from './key-store.js';
export { loadMasterKey, parseMasterKey, type MasterKey } from './master-key.js';
export type { SigningAlg, SigningKey } from './signing-key.js';
