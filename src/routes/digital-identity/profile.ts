/**
 * /api/DigitalIdentity read endpoints for the signed-in end user. `GetCurrentUser` returns the User object
 * of spec §6.5 (a Hawiya addition: Vlens only returns it inside login/registration responses).
 */
import type { FastifyInstance } from 'fastify';
import type { Hawiya } from '../../server/context.js';
import { ok } from '../../server/envelope.js';
import { VlensError } from '../../server/errors.js';
import { envelopeSchema } from '../schemas.js';

const TAG = 'Digital Identity — account';

const nullable = { type: ['string', 'null'] };
const userSchema = {
  type: ['object', 'null'],
  properties: {
    id: { type: 'integer' }, name: nullable, surname: nullable, fullName: nullable, userName: { type: 'string' },
    emailAddress: nullable, phoneNumber: { type: 'string' }, idNumber: nullable, address: nullable,
  },
};

export async function profileRoutes(app: FastifyInstance, ctx: Hawiya) {
  app.get('/api/DigitalIdentity/GetCurrentUser', {
    config: { auth: 'user' },
    // A response schema lets Fastify serialise with a compiled stringifier: this is the hot read path.
    schema: { tags: [TAG], summary: 'The signed-in user (User object, spec §6.5)', response: { 200: envelopeSchema(userSchema) } },
  }, async (req, reply) => {
    const t = req.tenant!;
    const user = await ctx.users.get(t, req.principal!.id);
    if (!user) throw new VlensError(401, 'Unknown user.');
    return ok(reply, ctx.users.toDto(t, user));
  });
}
