package io.lightcone.bench.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recovery benchmark end to end on a tiny table, so it keeps working: every restart recovers exactly the rows
 * the model says were written (the harness throws otherwise), from the log, a snapshot, and a snapshot plus a tail,
 * each restart in a JVM of its own as in the real runs.
 * No time is asserted.
 */
@Timeout(300)
final class RecoverySmokeTest
{
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldRecoverWhatWasWrittenInEveryScenario()
    {
        final Map<String, Object> json = RecoveryMain.run(dir, List.of(2_500L), 1_000, true);
        final List<Object> runs = (List<Object>)json.get("runs");
        assertEquals(1, runs.size());
        final Map<String, Object> run = (Map<String, Object>)runs.get(0);
        assertEquals(250L, run.get("tail_rows"));
        final List<Object> scenarios = (List<Object>)run.get("scenarios");
        assertEquals(3, scenarios.size());
        final String[] names = { "log", "snapshot", "snapshot+tail" };
        for (int i = 0; i < names.length; i++)
        {
            final Map<String, Object> scenario = (Map<String, Object>)scenarios.get(i);
            assertEquals(names[i], scenario.get("scenario"));
            assertEquals(2_500L, scenario.get("rows_recovered"), scenario.toString());
            assertEquals(true, scenario.get("checksum_matches_model"), scenario.toString());
        }
        final long fromLog = (Long)((Map<String, Object>)scenarios.get(0)).get("replayed_records");
        assertTrue(fromLog >= 3, "3 insert batches replayed: " + fromLog);
        assertEquals(0L, ((Map<String, Object>)scenarios.get(1)).get("replayed_records"), "nothing after the snapshot");
        final long tail = (Long)((Map<String, Object>)scenarios.get(2)).get("replayed_records");
        assertTrue(tail >= 1 && tail < fromLog, "only the tail replayed: " + tail);
        final long logRecords = (Long)((Map<String, Object>)run.get("log_read_alone")).get("records");
        assertTrue(logRecords >= 3 && logRecords <= fromLog, "the publish and 3 batches: " + logRecords);
        assertFalse(Files.exists(dir.resolve("recovery-2500")), "the scratch directory is removed");
    }

    @Test
    void modelShouldChangeWithAnyRow()
    {
        assertEquals(LedgerModel.checksum(100, 0), LedgerModel.checksum(100, 0));
        assertTrue(LedgerModel.checksum(100, 0) != LedgerModel.checksum(100, 1));
        assertTrue(LedgerModel.checksum(100, 0) != LedgerModel.checksum(99, 0));
    }
}
