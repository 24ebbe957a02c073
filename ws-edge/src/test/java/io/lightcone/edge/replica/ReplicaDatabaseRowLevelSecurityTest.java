package io.lightcone.edge.replica;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a replica takes a module's row-level-security rules: compiled once per definition, handed to every non-owner's
 * catalog, reported as changed only when they change, and failing closed for non-owners when the definition the
 * core sent cannot be used.
 */
class ReplicaDatabaseRowLevelSecurityTest
{
    private static final TableSchema MESSAGE = TableSchema.builder("message",
        ProductType.of("id", AlgebraicType.U64, "owner", SpecialTypes.IDENTITY)).build();
    private static final byte[] OWNER = identity(9);
    private static final byte[] ALICE = identity(1);
    private static final byte[] RAW = {1, 2, 3};

    private static byte[] identity(final int low)
    {
        final byte[] littleEndian = new byte[32];
        littleEndian[0] = (byte)low;
        littleEndian[31] = 0x70;
        return littleEndian;
    }

    private static ModuleDef def(final String... rules)
    {
        return new ModuleDef(10, new Typespace(List.of()), List.of(MESSAGE), List.of(), List.of(), List.of(),
            List.of(rules), List.of());
    }

    @Test
    void shouldCompileTheRulesOnceAndGiveThemToNonOwners() throws SqlException
    {
        try (ReplicaDatabase db = new ReplicaDatabase(1, "chat", identity(5), 1))
        {
            db.createTables(List.of(MESSAGE));
            assertTrue(db.module(OWNER, RAW, def("SELECT * FROM message WHERE owner = :sender")), "NONE -> 1 rule");
            final Catalog alice = db.catalog(ALICE);
            assertFalse(alice.callerIsOwner());
            assertEquals(new BigInteger("70" + "00".repeat(30) + "01", 16), alice.caller(), "little-endian bytes");
            assertEquals(1, alice.rowLevelSecurity().rules("message").size());
            assertTrue(db.catalog(OWNER).callerIsOwner());

            assertFalse(db.module(OWNER, RAW, def("SELECT * FROM message WHERE owner = :sender")), "same rules");
            assertTrue(db.module(OWNER, RAW, def("SELECT * FROM message WHERE owner = :sender",
                "SELECT * FROM message WHERE id = 1")), "a rule added");
            assertEquals(2, db.catalog(ALICE).rowLevelSecurity().rules("message").size());
            assertTrue(db.module(OWNER, null, null), "a core that tells no definition: no rules known");
            assertTrue(db.catalog(ALICE).rowLevelSecurity().isEmpty());
        }
    }

    @Test
    void shouldFailClosedForNonOwnersWhenTheDefinitionCannotBeUsed() throws SqlException
    {
        try (ReplicaDatabase db = new ReplicaDatabase(1, "chat", identity(5), 1))
        {
            db.createTables(List.of(MESSAGE));
            assertTrue(db.module(OWNER, RAW, null), "sent but not decodable");
            final SqlException refused = assertThrows(SqlException.class, () -> db.catalog(ALICE));
            assertTrue(refused.getMessage().startsWith("the row-level security of database chat could not be " +
                "loaded"), refused.getMessage());
            assertTrue(db.catalog(OWNER).callerIsOwner(), "the owner is exempt and still reads");

            assertTrue(db.module(OWNER, RAW, def("SELECT * FROM missing")));
            assertThrows(SqlException.class, () -> db.catalog(ALICE));
            assertTrue(db.module(OWNER, RAW, def()));
            assertTrue(db.catalog(ALICE).rowLevelSecurity().isEmpty());
        }
    }
}
