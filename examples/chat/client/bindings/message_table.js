// Hand-written bindings for the chat example module (../../chat.c), in the shape of the TypeScript bindings that
// SpacetimeDB's `spacetime generate --lang typescript` emits (one file per table / reducer plus index.js), as plain
// JavaScript so node runs them without a build step. Written by hand until Lightcone has code generation.

import { t as __t } from 'spacetimedb';

/** Row of table `message`: auto-incremented id (primary key), sender, sent timestamp and text. */
export default __t.row({
  id: __t.u64().primaryKey(),
  sender: __t.identity(),
  sent: __t.timestamp(),
  text: __t.string(),
});
