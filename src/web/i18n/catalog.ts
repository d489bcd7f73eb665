import type { ErrorCode } from '../../protocol/index.js';
import type { en } from './en.js';

type English = typeof en;

/** Every message key; the English catalog is their source. */
export type MessageKey = keyof English;

/** Errors the page meets on its own, without the server: no answer in time, no connection, cancelled. */
export type LocalErrorCode = 'TIMEOUT' | 'NOT_CONNECTED' | 'ABORTED';
export const LOCAL_ERROR_CODES: readonly LocalErrorCode[] = ['TIMEOUT', 'NOT_CONNECTED', 'ABORTED'];

/**
 * What every catalog holds: the English catalog's keys, each with the same shape (a string, or a function
 * of the same placeholders). A catalog missing a key, with one too many, or with a placeholder of another
 * name or type fails to compile.
 */
export type Catalog = { readonly [K in MessageKey]: English[K] };

/** The key of an error code's words: one for every code the server can send, and for the page's own. */
export type ErrorKey = `error.${ErrorCode | LocalErrorCode}`;

/** What a catalog entry may be: words, or words made from named placeholders. */
export type Message = string | ((params: never) => string);

/** The placeholders of `key`, as the argument list of {@link Translate}. */
export type Params<K extends MessageKey> = English[K] extends (params: infer P) => string ? [params: P] : [];

/** The keys whose message takes placeholders. */
export type ParameterisedKey = {
  [K in MessageKey]: English[K] extends (params: never) => string ? K : never;
}[MessageKey];

/** The keys whose message is plain words. */
export type PlainKey = Exclude<MessageKey, ParameterisedKey>;

/** Looks up a message in the current language, filling its placeholders. */
export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

export function translator(catalog: Catalog): Translate {
  return (key, ...params) => {
    // `params` was checked against `key` at the call; TypeScript cannot follow that through the union.
    const message = catalog[key] as string | ((params: unknown) => string);
    return typeof message === 'function' ? message(params[0]) : message;
  };
}
