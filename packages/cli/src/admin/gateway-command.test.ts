import { describe, expect, it } from 'vitest';
import { gatewayCommand } from './gateway-command.js';
import { run } from './test-support/admin-cli.js';

describe('rampart gateway', () => {
  it('prints its usage with --help', async () => {
    const help = await run(gatewayCommand, ['--help'], {});
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toContain('Usage: rampart gateway [--workers N]');
  });

  it('refuses a bad worker count before starting anything', async () => {
    for (const workers of ['0', 'two', '1.5']) {
      const bad = await run(gatewayCommand, ['--workers', workers], {});
      expect(bad.code).toBe(64);
      expect(bad.err).toContain('--workers must be a whole number ≥ 1');
    }
  });
});
