package chatusage;

import chat.ChatModule;
import chat.Message;
import chat.User;
import io.lightcone.client.LightconeClient;
import io.lightcone.client.ReducerOutcome;
import io.lightcone.client.Subscription;
import io.lightcone.client.SubscriptionListener;
import io.lightcone.client.Timestamp;
import io.lightcone.edge.auth.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Uses the generated chat bindings the way an application would, typed end to end (compiled by
 * GeneratedChatBindingsLiveTest against freshly generated bindings; a binding that changes shape breaks the
 * compilation). Runs against a live Lightcone with the chat module published as "chat"; throws AssertionError when
 * something is not as the chat module (examples/chat/chat.c) defines it.
 */
public final class ChatBindingsUsage implements Consumer<String>
{
    private static final long TIMEOUT_MS = 60_000;

    /**
     * Creates the usage.
     */
    public ChatBindingsUsage()
    {
    }

    @Override
    public void accept(final String url)
    {
        try (ChatModule alice = ChatModule.connect(LightconeClient.builder().uri(url).database("chat"));
            ChatModule bob = ChatModule.connect(LightconeClient.builder().uri(url).database("chat")))
        {
            run(alice, bob);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static void run(final ChatModule alice, final ChatModule bob) throws InterruptedException
    {
        await(alice, () -> alice.client().isConnected(), "alice InitialConnection");
        final Identity me = alice.client().identity();
        final List<String> events = new ArrayList<>();
        alice.db().message().onInsert((Message m) -> events.add("insert " + m.text()));
        alice.db().message().onDelete((Message m) -> events.add("delete " + m.text()));
        alice.db().user().onUpdate((User before, User after) ->
            events.add("update " + before.name().orElse("-") + "->" + after.name().orElse("-")));
        final Subscription subscription = alice.subscribeToAllTables(new SubscriptionListener()
        {
        });
        await(alice, subscription::isActive, "alice SubscribeApplied");

        final User own = alice.db().user().findByIdentity(me).orElseThrow(() -> new AssertionError("own user row"));
        check(own.online() && own.name().isEmpty() && own.identity().equals(me), "own row " + own);

        expect(ReducerOutcome.Status.COMMITTED, call(alice, alice.reducers().sendMessage("hello")).status(), "send");
        final ReducerOutcome refused = call(alice, alice.reducers().setName(""));
        expect(ReducerOutcome.Status.FAILED, refused.status(), "empty name");
        expect("Names must not be empty", refused.message(), "empty name message");
        check(call(alice, alice.reducers().setName("alice")).isCommitted(), "set_name alice");
        expect(List.of("insert hello", "update -->alice"), events, "alice's events");
        events.clear();
        expect(Optional.of("alice"), alice.db().user().findByIdentity(me).map(User::name).orElseThrow(), "name");

        final List<Message> messages = alice.db().message().rows();
        expect(1, messages.size(), "one message");
        final Message hello = messages.get(0);
        expect(me, hello.sender(), "sender");
        expect("hello", hello.text(), "text");
        check(hello.sent().microsSinceUnixEpoch() > Timestamp.UNIX_EPOCH.microsSinceUnixEpoch(), "sent " + hello);
        expect(Optional.of(hello), alice.db().message().findById(hello.id()), "find by id");
        expect(hello, Message.fromBsatn(hello.toBsatn()), "round trip");

        await(bob, () -> bob.client().isConnected(), "bob InitialConnection");
        final Subscription bobs = bob.subscribeToAllTables(new SubscriptionListener()
        {
        });
        await(bob, bobs::isActive, "bob SubscribeApplied");
        expect(1, bob.db().message().count(), "bob sees alice's message");
        check(call(bob, bob.reducers().sendMessage("from bob")).isCommitted(), "bob sends");
        await(alice, () -> alice.db().message().count() == 2, "alice receives bob's message");
        expect(List.of("insert from bob"), events, "alice's events after bob's message");
        events.clear();
        final Message fromBob = alice.db().message().rows().stream().filter((m) -> !m.sender().equals(me))
            .findFirst().orElseThrow(() -> new AssertionError("bob's message"));
        expect(bob.client().identity(), fromBob.sender(), "bob's identity");

        final ReducerOutcome notMine = call(alice, alice.reducers().deleteMessage(fromBob.id()));
        expect("only the sender may delete message " + fromBob.id(), notMine.message(), "delete someone else's");
        check(call(alice, alice.reducers().deleteMessage(hello.id())).isCommitted(), "delete own");
        expect(List.of("delete hello"), events, "alice's events after deleting");
        expect(Optional.empty(), alice.db().message().findById(hello.id()), "deleted");
        await(bob, () -> bob.db().message().count() == 1, "bob sees the delete");
        expect(0L, alice.db().message().cache().unknownDeletes(), "no unknown deletes");
    }

    private static ReducerOutcome call(final ChatModule module, final CompletableFuture<ReducerOutcome> call)
        throws InterruptedException
    {
        await(module, call::isDone, "reducer outcome");
        return call.join();
    }

    private static void await(final ChatModule module, final BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (module.poll(256) == 0)
            {
                Thread.sleep(1);
            }
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }

    private static void expect(final Object expected, final Object actual, final String what)
    {
        if (!Objects.equals(expected, actual))
        {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }
}
