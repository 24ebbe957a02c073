// Hand-written bindings for the chat example module (../../chat.c), in the shape of the TypeScript bindings that
// SpacetimeDB's `spacetime generate --lang typescript` emits (one file per table / reducer plus index.js), as plain
// JavaScript so node runs them without a build step. Written by hand until Lightcone has code generation.

import {
  DbConnectionBuilder as __DbConnectionBuilder,
  DbConnectionImpl as __DbConnectionImpl,
  SubscriptionBuilderImpl as __SubscriptionBuilderImpl,
  convertToAccessorMap as __convertToAccessorMap,
  makeQueryBuilder as __makeQueryBuilder,
  procedures as __procedures,
  reducerSchema as __reducerSchema,
  reducers as __reducers,
  schema as __schema,
  table as __table,
} from 'spacetimedb';

import SetNameReducer from './set_name_reducer.js';
import SendMessageReducer from './send_message_reducer.js';
import DeleteMessageReducer from './delete_message_reducer.js';

import UserRow from './user_table.js';
import MessageRow from './message_table.js';

/**
 * The tables of the chat module keyed by accessor, as the module defines them (canonical names, indexes, unique
 * constraints).
 */
const tablesSchema = __schema({
  user: __table(
    {
      name: 'user',
      indexes: [{ accessor: 'identity', name: 'user_identity_idx_btree', algorithm: 'btree', columns: ['identity'] }],
      constraints: [{ name: 'user_identity_key', constraint: 'unique', columns: ['identity'] }],
    },
    UserRow,
  ),
  message: __table(
    {
      name: 'message',
      indexes: [{ accessor: 'id', name: 'message_id_idx_btree', algorithm: 'btree', columns: ['id'] }],
      constraints: [{ name: 'message_id_key', constraint: 'unique', columns: ['id'] }],
    },
    MessageRow,
  ),
});

/** The client-callable reducers (the lifecycle reducers are not callable and not listed). */
const reducersSchema = __reducers(
  __reducerSchema('set_name', SetNameReducer),
  __reducerSchema('send_message', SendMessageReducer),
  __reducerSchema('delete_message', DeleteMessageReducer),
);

/** The chat module has no procedures. */
const proceduresSchema = __procedures();

/**
 * The remote module. versionInfo.cliVersion names the codegen output format these bindings follow (the SDK
 * refuses bindings older than 1.4.0).
 */
const REMOTE_MODULE = {
  versionInfo: {
    cliVersion: '2.0.0',
  },
  tables: tablesSchema.schemaType.tables,
  reducers: reducersSchema.reducersType.reducers,
  ...proceduresSchema,
};

/** The tables available in this remote module; each one doubles as a query builder. */
export const tables = __makeQueryBuilder(tablesSchema.schemaType);

/** The reducers available in this remote module. */
export const reducers = __convertToAccessorMap(reducersSchema.reducersType.reducers);

/** Builder of a subscription. */
export class SubscriptionBuilder extends __SubscriptionBuilderImpl {}

/** Builder of a connection. */
export class DbConnectionBuilder extends __DbConnectionBuilder {}

/** A connection to a chat database. */
export class DbConnection extends __DbConnectionImpl {
  /** A new builder for a connection to a chat database. */
  static builder = () => new DbConnectionBuilder(REMOTE_MODULE, (config) => new DbConnection(config));

  /** A new builder for a subscription on this connection. */
  subscriptionBuilder = () => new SubscriptionBuilder(this);
}
