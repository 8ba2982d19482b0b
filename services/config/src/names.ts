/**
 * Application and profile names. They end up in URLs, SQL values, cache file names and audit
 * resources, so only one safe shape is accepted: no dots, no slashes (no traversal, encoded or not).
 */
import { Type } from '@sinclair/typebox';

export const NAME_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const NAME = new RegExp(NAME_PATTERN);

/** The layer every application inherits (`application.yaml` in Spring Cloud Config). */
export const SHARED_APP = 'application';

/** The profile that stands for "no profile": its layer is the application's base document. */
export const BASE_PROFILE = '';

export const NameSchema = Type.String({ pattern: NAME_PATTERN });

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

/** One stored document: `application`, `orders` or `orders` + `production`. */
export interface SourceId {
  app: string;
  /** `''` for the application's base document. */
  profile: string;
}

/** `orders`, `orders-production`: how people and the YAML seed files name a source. */
export function sourceLabel(source: SourceId): string {
  return source.profile === BASE_PROFILE ? source.app : `${source.app}-${source.profile}`;
}

/** The layers of `app`/`profile`, lowest precedence first (`application` < `app` < `app-profile`). */
export function layersOf(app: string, profile: string): SourceId[] {
  const layers: SourceId[] = [{ app: SHARED_APP, profile: BASE_PROFILE }];
  if (app !== SHARED_APP) layers.push({ app, profile: BASE_PROFILE });
  if (profile !== BASE_PROFILE && app !== SHARED_APP) layers.push({ app, profile });
  return layers;
}
