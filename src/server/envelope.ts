/**
 * The Vlens response envelope (spec §2.2): `data`, `error_code`, `error_message`, `error_descriptions`,
 * plus top-level extras such as `services` or `totalCount`. Success always carries explicit nulls.
 */
import type { FastifyReply } from 'fastify';

export interface Envelope {
  data: unknown;
  error_code: number | null;
  error_message: string | null;
  error_descriptions: unknown;
  [extra: string]: unknown;
}

export function envelope(data: unknown, extras: Record<string, unknown> = {}): Envelope {
  return { data, error_code: null, error_message: null, error_descriptions: null, ...extras };
}

export function errorEnvelope(code: number, message: string, descriptions: unknown = null, extras: Record<string, unknown> = {}): Envelope {
  return { data: null, error_code: code, error_message: message, error_descriptions: descriptions, ...extras };
}

export function ok(reply: FastifyReply, data: unknown, extras?: Record<string, unknown>): FastifyReply {
  return reply.code(200).send(envelope(data, extras));
}
