import * as z from 'zod/mini';
import {
  type Ack,
  type ClientEventName,
  type ErrorCode,
  type EventPayload,
  type EventResult,
  clientEvents,
  protocolError,
} from '../../protocol/index.js';
import { addressKey, clientAddress } from './client-address.js';
import type { SignalingContext } from './context.js';
import type { Limited } from './rate-limits.js';
import type { ParleySocket } from './types.js';

// zod/mini ships without messages ("Invalid input") to stay small in the browser; the server can afford
// the English ones, and a client developer reading BAD_REQUEST deserves them.
// https://zod.dev/error-customization#internationalization
z.config(z.locales.en());

/** Longest error message sent back; a message can quote an unknown key, which a client chose. */
const MESSAGE_MAX = 200;

export type Handler<E extends ClientEventName> = (
  context: SignalingContext,
  socket: ParleySocket,
  payload: EventPayload<E>,
) => Promise<Ack<EventResult<E>>>;

/** An acknowledgement that refuses, with the catalog's message unless a better one is given. */
export function refuse(
  code: ErrorCode,
  message?: string,
): { ok: false; error: ReturnType<typeof protocolError> } {
  return { ok: false, error: protocolError(code, message) };
}

/**
 * RATE_LIMITED, saying whose limit ran out and when to try again (also as `retryAfterMs`, for programs).
 */
export function rateLimited(event: ClientEventName, limited: Limited) {
  const seconds = Math.ceil(limited.retryAfterMs / 1000);
  const whose = limited.scope === 'socket' ? 'this connection' : 'your network address';
  const error = protocolError(
    'RATE_LIMITED',
    `Too many ${event} requests from ${whose}. Try again in ${seconds} s.`,
  );
  return { ok: false as const, error: { ...error, retryAfterMs: limited.retryAfterMs } };
}

/**
 * Events from one socket are handled one at a time, in the order they arrived. Without this, a `signal`
 * sent right after `join` could be checked before the join finished, and two `join`s could both pass the
 * "not in a room yet" check.
 */
const queues = new WeakMap<ParleySocket, Promise<void>>();

export function enqueue(context: SignalingContext, socket: ParleySocket, task: () => Promise<void>): void {
  const next = (queues.get(socket) ?? Promise.resolve()).then(task).catch((error: unknown) => {
    // Tasks catch their own errors; this is the net under the net, so that the queue never stalls.
    context.logger.error({ err: error, room: socket.data.room, peerId: socket.data.peerId }, 'task failed');
  });
  queues.set(socket, next);
}

/**
 * The one way a client event gets a handler. It checks that there is an acknowledgement callback (a
 * request without one is dropped: there is no way to answer it), spends one request of the socket's and
 * its address's allowance (over it answers RATE_LIMITED; checked in the socket's queue so the order of
 * its events holds), parses the payload with the event's schema (a failure answers BAD_REQUEST and the
 * handler never runs), runs the handler, and answers INTERNAL if it throws, so that one bad request never
 * takes the server down.
 */
export function register<E extends ClientEventName>(
  context: SignalingContext,
  socket: ParleySocket,
  event: E,
  handler: Handler<E>,
): void {
  const schema = clientEvents[event].payload;
  // Every inbound listener has the same shape, so the event's name needs no more than the union's type.
  const name: ClientEventName = event;
  socket.on(name, (...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') {
      context.logger.debug(
        { event, peerId: socket.data.peerId },
        'dropped a request without an ack callback',
      );
      return;
    }
    // Restarted when the handling begins: time spent waiting in the socket's queue is not the handler's.
    let started = performance.now();
    const answer = (response: Ack<EventResult<E>>): void => {
      if (!response.ok) context.metrics.rejected(response.error.code);
      if (event === 'join') context.metrics.joinHandled((performance.now() - started) / 1000);
      Reflect.apply(ack, undefined, [response]);
    };
    enqueue(context, socket, async () => {
      started = performance.now();
      const limited = await context.limits?.take(event, socket.id, addressKey(clientAddress(socket)));
      if (limited) {
        context.metrics.rateLimited(event, limited.scope);
        context.refusals.note(`rate-limit ${event} per ${limited.scope}`);
        answer(rateLimited(event, limited));
        return;
      }
      if (args.length !== 2) {
        answer(
          refuse('BAD_REQUEST', `Send one payload and an ack callback, not ${args.length - 1} payloads.`),
        );
        return;
      }
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) {
        answer(refuse('BAD_REQUEST', describeIssue(parsed.error.issues[0])));
        return;
      }
      try {
        // The schema for E parses to EventPayload<E>; TypeScript cannot follow that through the table.
        answer(await handler(context, socket, parsed.data as EventPayload<E>));
      } catch (error) {
        context.logger.error(
          { err: error, event, room: socket.data.room, peerId: socket.data.peerId },
          'handler failed',
        );
        answer(refuse('INTERNAL'));
      }
    });
  });
}

/** zod's first issue in one readable line: where, then what. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return protocolError('BAD_REQUEST').message;
  const where = issue.path.map(String).join('.');
  const text = where ? `${where}: ${issue.message}` : issue.message;
  return text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX - 1)}…` : text;
}
