// chat-check.mjs -- drives a running Lightcone that serves the chat example module with SpacetimeDB's own npm
// TypeScript SDK (spacetimedb@2.10.1, unchanged) and checks what the SDK reports.
//
//   node chat-check.mjs <base url> [database]        e.g. node chat-check.mjs http://127.0.0.1:3000 chat
//   (or LIGHTCONE_URL / LIGHTCONE_DB in the environment; CHAT_CHECK_TIMEOUT_MS bounds each wait, default 30000)
//
// Prints one "ok <n> <check>" line per passed check and "all <n> checks passed" at the end, exit code 0.
// The first failed check or timeout prints "FAIL <check>: <why>" and exits 1. The database must be freshly
// published (the checks assume no other client changes it meanwhile).
//
// The bindings are generated: bindings/*.ts is what `lightcone generate --lang typescript --import-extension js`
// writes for ../chat.wasm (`npm run bindings` regenerates them), compiled to build/bindings/ by `npm run build`
// (tsc) before this script runs; `npm run check` does both.
import { SenderError, Timestamp } from 'spacetimedb';
import { DbConnection, tables } from './build/bindings/index.js';

const url = process.argv[2] ?? process.env.LIGHTCONE_URL;
const database = process.argv[3] ?? process.env.LIGHTCONE_DB ?? 'chat';
const timeoutMs = Number(process.env.CHAT_CHECK_TIMEOUT_MS ?? 30000);
if (!url) {
  console.error('usage: node chat-check.mjs <base url, e.g. http://127.0.0.1:3000> [database, default chat]');
  process.exit(2);
}

// The SDK reports inconsistencies it tolerates (a delete of an uncached row, an update of a missing row, a message
// for an unknown query set) only as WARN/ERROR log lines through console.log; any of them fails the check.
const sdkProblems = [];
const log = console.log.bind(console);
console.log = (first, ...rest) => {
  if (typeof first === 'string' && first.startsWith('%c') && /^%c\S+ (WARN|ERROR)%c/u.test(first)) {
    sdkProblems.push(first.replace(/%c/gu, '') + (rest.length > 2 ? ' ' + rest.slice(2).join(' ') : ''));
  }
  log(first, ...rest);
};

let passed = 0;
let current = 'start';
const connections = [];

function fail(why) {
  console.log(`FAIL ${current}: ${why}`);
  for (const c of connections) {
    try {
      c.conn.disconnect();
    } catch {
      // already closed
    }
  }
  process.exit(1);
}

function check(condition, why) {
  if (!condition) {
    fail(why);
  }
}

function ok(detail) {
  check(sdkProblems.length === 0, `the SDK logged: ${sdkProblems.join('; ')}`);
  passed++;
  console.log(`ok ${passed} ${current}${detail ? ': ' + detail : ''}`);
}

/** Resolves like promise, or fails the run after timeoutMs saying what was awaited. */
function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every row callback and disconnect of one connection, in order; waits resolve on the first matching event. */
class Recorder {
  constructor(label) {
    this.label = label;
    this.events = [];
    this.waiters = [];
  }

  push(event) {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length - 1 >= w.from && w.predicate(event)) {
        w.resolve(event);
        return false;
      }
      return true;
    });
  }

  mark() {
    return this.events.length;
  }

  /** The first event at or after `from` that matches. */
  until(from, predicate, what) {
    const seen = this.events.slice(from).find(predicate);
    if (seen) {
      return Promise.resolve(seen);
    }
    return within(new Promise((resolve) => this.waiters.push({ from, predicate, resolve })), `${this.label}: ${what}`);
  }

  count(from, predicate) {
    return this.events.slice(from).filter(predicate).length;
  }
}

function connect(label, token) {
  const rec = new Recorder(label);
  return within(
    new Promise((resolve, reject) => {
      const builder = DbConnection.builder()
        .withUri(url)
        .withDatabaseName(database)
        .onConnect((conn, identity, issued) => resolve({ conn, identity, token: issued, rec, label }))
        .onConnectError((_ctx, error) => reject(new Error(`${label} could not connect: ${error?.message ?? error}`)))
        .onDisconnect((_ctx, error) => rec.push({ kind: 'disconnect', error }));
      if (token) {
        builder.withToken(token);
      }
      const conn = builder.build();
      for (const table of ['user', 'message']) {
        conn.db[table].onInsert((ctx, row) => rec.push({ kind: 'insert', table, row, tag: ctx.event.tag }));
        conn.db[table].onDelete((ctx, row) => rec.push({ kind: 'delete', table, row, tag: ctx.event.tag }));
        conn.db[table].onUpdate((ctx, old, row) => rec.push({ kind: 'update', table, old, row, tag: ctx.event.tag }));
      }
    }),
    `${label} to connect (onConnect)`,
  ).then((c) => {
    connections.push(c);
    return c;
  });
}

function subscribe(c, queries) {
  return within(
    new Promise((resolve, reject) => {
      const handle = c.conn
        .subscriptionBuilder()
        .onApplied(() => resolve(handle))
        .onError((ctx) => reject(new Error(`${c.label}: subscription error: ${ctx.event?.message ?? ctx.event}`)))
        .subscribe(queries);
    }),
    `${c.label}: SubscribeApplied for ${[queries]
      .flat()
      .map((q) => (typeof q === 'string' ? q : q.toSql()))
      .join(', ')}`,
  );
}

async function expectReducerError(promise, expected, what) {
  try {
    await within(promise, what);
  } catch (e) {
    check(e instanceof SenderError, `${what} failed with ${e?.name} (${e?.message}), expected a SenderError`);
    check(
      e.message === expected,
      `${what} error message ${JSON.stringify(e.message)}, expected ${JSON.stringify(expected)}`,
    );
    return e;
  }
  return fail(`${what} succeeded but must fail with "${expected}"`);
}

const isUser = (identity) => (e) => e.table === 'user' && e.row.identity.isEqual(identity);
const isMessage = (text) => (e) => e.table === 'message' && e.row.text === text;
const users = (c) => [...c.conn.db.user.iter()];
const messages = (c) => [...c.conn.db.message.iter()];

async function main() {
  current = 'connect anonymously';
  const a = await connect('client A');
  check(a.identity.toHexString().length === 64, `identity ${a.identity.toHexString()} is not 64 hex characters`);
  check(typeof a.token === 'string' && a.token.split('.').length === 3, `token ${a.token} is not a JWT`);
  ok(`identity ${a.identity.toHexString()}, token issued`);

  current = 'subscribe to user and message';
  let from = a.rec.mark();
  const aSub = await subscribe(a, ['SELECT * FROM user', 'SELECT * FROM message']);
  check(aSub.isActive(), 'the subscription handle is not active after onApplied');
  const me = users(a).find((u) => u.identity.isEqual(a.identity));
  check(me !== undefined, `the own user row (inserted by client_connected) is missing: ${users(a).length} user rows`);
  check(
    me.online === true && me.name === undefined,
    `own user row ${JSON.stringify({ name: me.name, online: me.online })}`,
  );
  check(
    a.rec.count(from, (e) => e.kind === 'insert' && e.tag === 'SubscribeApplied') ===
      users(a).length + messages(a).length,
    'onInsert was not called once per initial row',
  );
  ok(`${users(a).length} user rows, ${messages(a).length} message rows, own row online and unnamed`);

  current = 'set_name updates the own user row';
  from = a.rec.mark();
  await within(a.conn.reducers.setName({ name: 'alice' }), 'set_name("alice") to succeed');
  const renamed = await a.rec.until(
    from,
    (e) => e.kind === 'update' && isUser(a.identity)(e),
    'onUpdate of the own user row',
  );
  check(
    renamed.old.name === undefined && renamed.row.name === 'alice' && renamed.row.online === true,
    `update ${JSON.stringify({ old: renamed.old.name, new: renamed.row.name, online: renamed.row.online })}`,
  );
  check(renamed.tag === 'Reducer', `the caller's update came as a ${renamed.tag} event, expected Reducer`);
  ok('name undefined -> "alice" (Reducer event)');

  current = 'send_message inserts a message';
  from = a.rec.mark();
  const before = Date.now();
  await within(a.conn.reducers.sendMessage({ text: 'hello from A' }), 'send_message to succeed');
  const sent = (
    await a.rec.until(from, (e) => e.kind === 'insert' && isMessage('hello from A')(e), 'onInsert of the message')
  ).row;
  check(typeof sent.id === 'bigint' && sent.id > 0n, `message id ${sent.id}`);
  check(sent.sender.isEqual(a.identity), `sender ${sent.sender.toHexString()}`);
  check(sent.sent instanceof Timestamp, `sent is not a Timestamp: ${sent.sent}`);
  const sentMs = Number(sent.sent.microsSinceUnixEpoch / 1000n);
  check(Math.abs(sentMs - before) < 24 * 3600 * 1000, `sent ${sent.sent.toDate().toISOString()} is not the call time`);
  ok(`id ${sent.id}, sender A, sent ${sent.sent.toDate().toISOString()}`);

  current = "second client sees the first client's rows and transactions";
  from = a.rec.mark();
  const b = await connect('client B');
  check(!b.identity.isEqual(a.identity), "client B got client A's identity");
  const bSub = await subscribe(b, ['SELECT * FROM user', 'SELECT * FROM message']);
  check(
    messages(b).some((m) => m.id === sent.id && m.text === 'hello from A'),
    "B's initial rows lack A's message",
  );
  check(
    users(b).some((u) => u.identity.isEqual(a.identity) && u.name === 'alice'),
    "B's initial rows lack user alice",
  );
  const bJoined = await a.rec.until(
    from,
    (e) => e.kind === 'insert' && isUser(b.identity)(e),
    "A: onInsert of B's user row",
  );
  check(
    bJoined.tag === 'Transaction' && bJoined.row.online === true,
    `B's user row came to A as ${bJoined.tag}, online ${bJoined.row.online}`,
  );
  let bFrom = b.rec.mark();
  await within(a.conn.reducers.sendMessage({ text: 'second message' }), 'A: send_message to succeed');
  const relayed = await b.rec.until(
    bFrom,
    (e) => e.kind === 'insert' && isMessage('second message')(e),
    "B: onInsert of A's message",
  );
  check(relayed.tag === 'Transaction' && relayed.row.sender.isEqual(a.identity), `relayed as ${relayed.tag}`);
  const second = relayed.row;
  check(second.id > sent.id, `ids not increasing: ${sent.id} then ${second.id}`);
  ok("B saw A's rows on subscribe, A saw B join, B got A's message as a Transaction event");

  current = "a failing reducer reports the module's error";
  from = a.rec.mark();
  await expectReducerError(a.conn.reducers.setName({ name: '' }), 'Names must not be empty', 'set_name("")');
  await expectReducerError(a.conn.reducers.sendMessage({ text: '' }), 'Messages must not be empty', 'send_message("")');
  await expectReducerError(
    b.conn.reducers.deleteMessage({ id: sent.id }),
    `only the sender may delete message ${sent.id}`,
    "B: delete_message(A's message)",
  );
  await expectReducerError(
    a.conn.reducers.deleteMessage({ id: 999999n }),
    'message 999999 not found',
    'delete_message(999999)',
  );
  check(a.conn.db.user.identity.find(a.identity)?.name === 'alice', 'the failed set_name changed the name');
  check(a.rec.count(from, (e) => e.kind !== 'disconnect') === 0, 'failed reducers produced row callbacks');
  ok(
    'SenderError "Names must not be empty", "Messages must not be empty", "only the sender may delete ...", ' +
      '"message 999999 not found"; nothing changed',
  );

  current = 'delete_message deletes for both clients';
  from = a.rec.mark();
  bFrom = b.rec.mark();
  await within(a.conn.reducers.deleteMessage({ id: sent.id }), 'delete_message to succeed');
  const aDeleted = await a.rec.until(from, (e) => e.kind === 'delete' && isMessage('hello from A')(e), 'A: onDelete');
  const bDeleted = await b.rec.until(bFrom, (e) => e.kind === 'delete' && isMessage('hello from A')(e), 'B: onDelete');
  check(
    aDeleted.tag === 'Reducer' && bDeleted.tag === 'Transaction',
    `delete events ${aDeleted.tag} / ${bDeleted.tag}`,
  );
  check(a.conn.db.message.id.find(sent.id) === null, 'A still caches the deleted message');
  check(b.conn.db.message.id.find(sent.id) === null, 'B still caches the deleted message');
  check(
    messages(a).length === 1 && messages(b).length === 1,
    `${messages(a).length} / ${messages(b).length} messages left`,
  );
  ok(`message ${sent.id} gone from both caches, message ${second.id} kept`);

  current = 'a long message (a gzip-compressed frame) reaches both clients';
  const long = 'long '.repeat(600);
  from = a.rec.mark();
  bFrom = b.rec.mark();
  await within(a.conn.reducers.sendMessage({ text: long }), 'send_message(3000 characters) to succeed');
  const longRow = (
    await b.rec.until(bFrom, (e) => e.kind === 'insert' && isMessage(long)(e), 'B: onInsert of the long message')
  ).row;
  await a.rec.until(from, (e) => e.kind === 'insert' && isMessage(long)(e), 'A: onInsert of the long message');
  await within(a.conn.reducers.deleteMessage({ id: longRow.id }), 'delete_message(the long message) to succeed');
  await b.rec.until(bFrom, (e) => e.kind === 'delete' && isMessage(long)(e), 'B: onDelete of the long message');
  check(
    messages(a).length === 1 && messages(b).length === 1,
    `${messages(a).length} / ${messages(b).length} messages left`,
  );
  ok(`${long.length} characters inserted and deleted`);

  current = 'unsubscribe';
  bFrom = b.rec.mark();
  await within(new Promise((resolve) => bSub.unsubscribeThen(resolve)), 'B: unsubscribeThen callback');
  check(bSub.isEnded(), 'the subscription handle is not ended after the unsubscribe callback');
  check(
    messages(b).length === 0 && users(b).length === 0,
    `B still caches ${messages(b).length} messages, ${users(b).length} users`,
  );
  check(
    b.rec.count(bFrom, (e) => e.kind === 'delete') === 1 + users(a).length,
    'onDelete was not called once per dropped row',
  );
  // Nothing may reach B for the dropped query set: A's next message is committed (A got its result) before B asks
  // for a new subscription, and B's messages arrive in order, so an update for it would come before the new
  // SubscribeApplied.
  bFrom = b.rec.mark();
  await within(a.conn.reducers.sendMessage({ text: 'after unsubscribe' }), 'A: send_message to succeed');
  await subscribe(b, ['SELECT * FROM user']);
  check(b.rec.count(bFrom, (e) => e.table === 'message') === 0, 'B got message rows after unsubscribing');
  check(users(b).length === users(a).length, `B re-subscribed to ${users(b).length} users, A has ${users(a).length}`);
  ok('unsubscribeThen called back, rows dropped with onDelete, no later updates');

  current = 'disconnect and reconnect with the saved token';
  bFrom = b.rec.mark();
  from = a.rec.mark();
  a.conn.disconnect();
  await a.rec.until(from, (e) => e.kind === 'disconnect', 'A: onDisconnect');
  const offline = await b.rec.until(
    bFrom,
    (e) => e.kind === 'update' && isUser(a.identity)(e),
    'B: onUpdate A offline',
  );
  check(
    offline.row.online === false && offline.row.name === 'alice',
    `A after disconnect: ${JSON.stringify({ name: offline.row.name, online: offline.row.online })}`,
  );
  bFrom = b.rec.mark();
  const a2 = await connect('client A again', a.token);
  check(
    a2.identity.isEqual(a.identity),
    `reconnected as ${a2.identity.toHexString()}, expected ${a.identity.toHexString()}`,
  );
  const online = await b.rec.until(bFrom, (e) => e.kind === 'update' && isUser(a.identity)(e), 'B: onUpdate A online');
  check(online.row.online === true && online.row.name === 'alice', 'A is not back online with its name');
  await subscribe(a2, ['SELECT * FROM message']);
  check(
    messages(a2)
      .map((m) => m.text)
      .sort()
      .join('|') === 'after unsubscribe|second message',
    `A's messages after reconnecting: ${messages(a2).map((m) => m.text)}`,
  );
  ok(`same identity ${a2.identity.toHexString()}, name and messages kept`);

  current = 'subscribe with the typed query builder';
  const mine = tables.message.where((m) => m.sender.eq(a.identity));
  await subscribe(b, mine);
  check(
    messages(b).length === 2 && messages(b).every((m) => m.sender.isEqual(a.identity)),
    `B's messages from A through ${mine.toSql()}: ${messages(b).map((m) => m.text)}`,
  );
  ok(mine.toSql().replace(/0x[0-9a-f]{64}/u, '0x<A>'));

  current = 'an unknown database is a connect error';
  await within(
    new Promise((resolve, reject) => {
      DbConnection.builder()
        .withUri(url)
        .withDatabaseName('no_such_database')
        .onConnect(() => reject(new Error('connected to a database that does not exist')))
        .onConnectError((_ctx, error) => resolve(error))
        .build();
    }),
    'onConnectError for database no_such_database',
  ).catch((e) => fail(e.message));
  ok('onConnectError');

  current = 'disconnect';
  for (const c of [a2, b]) {
    const mark = c.rec.mark();
    c.conn.disconnect();
    await c.rec.until(mark, (e) => e.kind === 'disconnect', `${c.label}: onDisconnect`);
  }
  ok('both clients closed');
  console.log(`all ${passed} checks passed`);
  process.exit(0);
}

main().catch((e) => fail(e?.stack ?? String(e)));
