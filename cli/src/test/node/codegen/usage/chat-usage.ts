// Type-level checks of the bindings lightcone generate writes for examples/chat/chat.wasm, compiled by
// GenerateTypeScriptCompileTest next to them (as ./chat/) with tsc --strict. Every @ts-expect-error line must be an
// error: if the bindings typed rows or reducers loosely (any), tsc would report the directive as unused.
import { Identity, Timestamp } from 'spacetimedb';
import { DbConnection, tables, type EventContext } from './chat/index';
import { Message, User } from './chat/types';
import type { DeleteMessageParams, SendMessageParams } from './chat/types/reducers';

export function useTheChatBindings(conn: DbConnection): void {
  const params: SendMessageParams = { text: 'hello' };
  void conn.reducers.sendMessage(params);
  void conn.reducers.setName({ name: 'alice' });
  const remove: DeleteMessageParams = { id: 1n };
  void conn.reducers.deleteMessage(remove);
  // @ts-expect-error: the id is a u64, a bigint
  void conn.reducers.deleteMessage({ id: 1 });
  // @ts-expect-error: the module has no such reducer
  void conn.reducers.kick({ id: 1n });

  const me: User | null = conn.db.user.identity.find(Identity.zero());
  const name: string | undefined = me?.name;
  const online: boolean | undefined = me?.online;
  // @ts-expect-error: the user table's unique index is on identity, a column that is not a string
  conn.db.user.identity.find('alice');
  const byId: Message | null = conn.db.message.id.find(1n);
  for (const message of conn.db.message.iter()) {
    const sent: Timestamp = message.sent;
    const sender: Identity = message.sender;
    // @ts-expect-error: text is a string
    const length: number = message.text;
    void [sent, sender, length];
  }
  conn.db.message.onInsert((ctx: EventContext, row: Message) => {
    void [ctx.event.tag, row.text.length];
  });
  const mine = tables.message.where((m) => m.sender.eq(Identity.zero()));
  void [name, online, byId, mine];
}
