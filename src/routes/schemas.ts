/** JSON-schema pieces shared by routes. Every string has a maximum length: oversized input is a 400. */
export const str = (maxLength = 256, extra: Record<string, unknown> = {}) => ({ type: 'string', maxLength, ...extra });
export const nullableStr = (maxLength = 256, extra: Record<string, unknown> = {}) => ({ type: ['string', 'null'], maxLength, ...extra });
export const uuid = { type: ['string', 'null'], maxLength: 64 };
export const bool = { type: ['boolean', 'null'] };
/** Base64 image: 5 MB of bytes is ~6.7 MB of base64; the decoder enforces the real limits (5002/5003). */
export const image = { type: 'string', maxLength: 7_200_000 };
export const geoLocation = {
  type: ['object', 'null'],
  properties: {
    latitude: { type: ['number', 'string', 'null'], maxLength: 32 },
    longitude: { type: ['number', 'string', 'null'], maxLength: 32 },
  },
};

export const envelopeSchema = (data: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    data,
    error_code: { type: ['integer', 'null'] },
    error_message: { type: ['string', 'null'] },
    error_descriptions: {},
  },
});

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
