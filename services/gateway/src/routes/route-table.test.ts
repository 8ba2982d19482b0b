import { describe, expect, it } from 'vitest';
import type { ValidRoute } from './load-routes.js';
import { forwardPath, matchesPrefix } from './route-table.js';

const route = (extra: Partial<ValidRoute>) =>
  ({ prefix: '/api/orders', stripPrefix: false, ...extra }) as ValidRoute;

describe('prefix matching and rewriting', () => {
  it('matches whole segments only', () => {
    expect(matchesPrefix('/api/orders', '/api/orders')).toBe(true);
    expect(matchesPrefix('/api/orders/1', '/api/orders')).toBe(true);
    expect(matchesPrefix('/api/ordersX', '/api/orders')).toBe(false);
    expect(matchesPrefix('/anything', '/')).toBe(true);
  });

  it('rewrites and strips prefixes', () => {
    expect(forwardPath(route({}), '/api/orders/1')).toBe('/api/orders/1');
    expect(forwardPath(route({ rewritePrefix: '/orders' }), '/api/orders/1')).toBe('/orders/1');
    expect(forwardPath(route({ rewritePrefix: '/orders' }), '/api/orders')).toBe('/orders');
    expect(forwardPath(route({ rewritePrefix: '/orders' }), '/api/orders/')).toBe('/orders/');
    expect(forwardPath(route({ stripPrefix: true }), '/api/orders/1')).toBe('/1');
    expect(forwardPath(route({ stripPrefix: true }), '/api/orders')).toBe('/');
    expect(forwardPath(route({ rewritePrefix: '/' }), '/api/orders/1')).toBe('/1');
  });
});
