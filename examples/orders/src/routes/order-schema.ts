import { Type } from '@rampart/chassis';

export const MAX_ITEMS = 20;

export const orderItemSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1, maximum: 99 }),
  },
  { additionalProperties: false },
);

export const orderStatusSchema = Type.Union([Type.Literal('placed'), Type.Literal('cancelled')]);

/** What the API shows of an order; the response schema keeps anything else out of answers. */
export const orderSchema = Type.Object({
  id: Type.String(),
  owner: Type.String(),
  status: orderStatusSchema,
  items: Type.Array(orderItemSchema),
  createdAt: Type.String(),
  cancelledAt: Type.Union([Type.String(), Type.Null()]),
});

/** Order ids are UUIDs; anything else is refused before a query runs. */
export const orderParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
});
