import { Type } from '@rampart/chassis';

/** What the API shows of an account; the response schema keeps anything else out of answers. */
export const accountSchema = Type.Object({
  id: Type.String({ description: 'the user’s `sub`' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  createdAt: Type.String(),
  suspendedAt: Type.Union([Type.String(), Type.Null()]),
});
