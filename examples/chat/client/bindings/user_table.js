// Hand-written bindings for the chat example module (../../chat.c), in the shape of the TypeScript bindings that
// SpacetimeDB's `spacetime generate --lang typescript` emits (one file per table / reducer plus index.js), as plain
// JavaScript so node runs them without a build step. Written by hand until Lightcone has code generation.

import { t as __t } from 'spacetimedb';

/** Row of table `user`: identity (primary key), an optional name and the online flag. */
export default __t.row({
  identity: __t.identity().primaryKey(),
  name: __t.option(__t.string()),
  online: __t.bool(),
});
