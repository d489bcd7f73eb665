import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Config, type LogLevel, type Rate, SETTINGS, SETTING_TABLE, configFrom } from './index.js';

// The type assertions are checked by `tsc --noEmit`, which covers test files; each is paired with what the
// same setting does at run time.
describe('the Config type, derived from the settings table', () => {
  it('has one key per setting, and webRoot', () => {
    expectTypeOf<keyof Config>().toEqualTypeOf<keyof typeof SETTING_TABLE | 'webRoot'>();
    expect(SETTINGS.map((entry) => entry.key)).toEqual(Object.keys(SETTING_TABLE));
  });

  it('types each setting by its schema, read-only, and optional exactly when it has no default', () => {
    expectTypeOf<Config['port']>().toEqualTypeOf<number>();
    expectTypeOf<Config['logLevel']>().toEqualTypeOf<LogLevel>();
    expectTypeOf<Config['icePolicy']>().toEqualTypeOf<'all' | 'relay'>();
    expectTypeOf<Config['allowedOrigins']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Config['rateJoin']>().toEqualTypeOf<Rate>();
    expectTypeOf<Rate>().toEqualTypeOf<{ readonly points: number; readonly seconds: number }>();
    expectTypeOf<Config>().toHaveProperty('secret').toEqualTypeOf<string | undefined>();
    expectTypeOf<Pick<Config, 'secret'>>().toEqualTypeOf<{ readonly secret?: string | undefined }>();
    expect(configFrom().secret).toBeUndefined();
  });

  it('gives a setting whose unset value is not undefined that value', () => {
    expectTypeOf<Pick<Config, 'turnUrls'>>().toEqualTypeOf<{ readonly turnUrls: readonly string[] }>();
    expect(configFrom().turnUrls).toEqual([]);
  });
});
