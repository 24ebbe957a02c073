// Hand-written bindings for the chat example module (../../chat.c), in the shape of the TypeScript bindings that
// SpacetimeDB's `spacetime generate --lang typescript` emits (one file per table / reducer plus index.js), as plain
// JavaScript so node runs them without a build step. Written by hand until Lightcone has code generation.

import { t as __t } from 'spacetimedb';

/** Parameters of reducer `set_name`. */
export default {
  name: __t.string(),
};
