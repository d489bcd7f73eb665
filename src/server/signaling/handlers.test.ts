import { describe, expect, expectTypeOf, it } from 'vitest';
import { CLIENT_EVENT_NAMES, type ClientToServerEvents } from '../../protocol/index.js';
import { type HandlerTable, handlers } from './handlers.js';
import { ice } from './ice.js';
import { join } from './join.js';
import { leave } from './leave.js';
import { signal } from './signal.js';
import { testCall, testCallStatus } from './test-call.js';

// The type assertions are checked by `tsc --noEmit`, which covers test files; at run time they do nothing,
// so each is paired with a check vitest can see.
describe('handlers', () => {
  it('has one handler for each client event of the protocol, and nothing else', () => {
    expectTypeOf<keyof typeof handlers>().toEqualTypeOf<keyof ClientToServerEvents>();
    expectTypeOf(handlers).toExtend<HandlerTable>();
    expect(Object.keys(handlers).sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
  });

  it('does not compile with a handler missing or under a misspelt event name', () => {
    // @ts-expect-error -- `ice` has no handler.
    const missing: HandlerTable = {
      join,
      leave,
      signal,
      'test-call-status': testCallStatus,
      'test-call': testCall,
    };
    const misspelt: HandlerTable = {
      join,
      leave,
      // @ts-expect-error -- `signals` is not an event of the protocol.
      signals: signal,
      ice,
      'test-call-status': testCallStatus,
      'test-call': testCall,
    };
    expect(Object.keys(missing)).not.toContain('ice');
    expect(Object.keys(misspelt)).toContain('signals');
  });
});
