import { describe, expect, it } from 'vitest';
import { childEnv } from './child-env.js';

const settings = { dataDir: '/data', demo: false, ipcTls: true };

describe('childEnv', () => {
  it('passes the parent environment and the data directory', () => {
    const env = childEnv({ PATH: '/bin' }, settings);
    expect(env).toEqual({ PATH: '/bin', RAMPART_DATA_DIR: '/data', RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0' });
  });

  it('sets RAMPART_DEMO from --demo only', () => {
    expect(childEnv({ RAMPART_DEMO: '1' }, settings).RAMPART_DEMO).toBeUndefined();
    expect(childEnv({}, { ...settings, demo: true }).RAMPART_DEMO).toBe('1');
  });

  it('keeps a drain delay the user set', () => {
    expect(
      childEnv({ RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '5000' }, settings).RAMPART_SHUTDOWN_DRAIN_DELAY_MS,
    ).toBe('5000');
  });

  it('turns IPC TLS off with --no-ipc-tls', () => {
    expect(childEnv({}, { ...settings, ipcTls: false }).RAMPART_IPC_TLS).toBe('0');
  });
});
