// A tiny chat client for the chat example, on SpacetimeDB's own npm SDK and the generated bindings:
//   node chat.mjs [base url, default http://127.0.0.1:3000] [database, default chat] [name]
// Prints every message as it arrives and sends each line typed on stdin; "/name NEW" changes the name.
// Build the bindings first: (cd examples/chat/client && npm ci && npm run build).
import readline from 'node:readline';
import { DbConnection } from './build/bindings/index.js';

const url = process.argv[2] ?? 'http://127.0.0.1:3000';
const database = process.argv[3] ?? 'chat';
const name = process.argv[4];

const names = new Map();
const nameOf = (identity) => names.get(identity.toHexString()) ?? identity.toHexString().slice(0, 8);

DbConnection.builder()
  .withUri(url)
  .withDatabaseName(database)
  .onConnectError((_ctx, error) => {
    console.error(`cannot connect to ${database} at ${url}: ${error?.message ?? error}`);
    process.exit(1);
  })
  .onDisconnect(() => {
    console.error('disconnected');
    process.exit(0);
  })
  .onConnect((conn, identity) => {
    conn.db.user.onInsert((_ctx, user) => user.name && names.set(user.identity.toHexString(), user.name));
    conn.db.user.onUpdate((_ctx, _old, user) => user.name && names.set(user.identity.toHexString(), user.name));
    conn.db.message.onInsert((_ctx, message) => console.log(`${nameOf(message.sender)}: ${message.text}`));
    conn
      .subscriptionBuilder()
      .onApplied(() => console.error(`connected to ${database} as ${identity.toHexString().slice(0, 8)}; type to chat`))
      .subscribe(['SELECT * FROM user', 'SELECT * FROM message']);
    const send = (promise) => promise.catch((e) => console.error(`error: ${e?.message ?? e}`));
    if (name) {
      send(conn.reducers.setName({ name }));
    }
    readline.createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.startsWith('/name ')) {
        send(conn.reducers.setName({ name: line.slice(6).trim() }));
      } else if (line.trim()) {
        send(conn.reducers.sendMessage({ text: line }));
      }
    }).on('close', () => setTimeout(() => conn.disconnect(), 500));
  })
  .build();
