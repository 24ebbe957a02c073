package io.lightcone.txn.loop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The tick grids of a database's interval schedules, saved beside each snapshot so their cadence survives a restart:
 * {@code <txOffset:020d>.anchors} next to {@code <txOffset:020d>.snapshot}, written (temporary file, forced, renamed)
 * just before the snapshot, so a snapshot's anchors are never older than it. Text, one line per interval row:
 * {@code <tableId> <row BSATN hex> <a tick time, epoch µs>}, then {@code end <count>}. A missing or damaged file
 * loses nothing but the cadence: those intervals restart from the recovery time (SpacetimeDB's behaviour).
 * Recovery adds the rows inserted after the snapshot from the log (their insert transaction's time is their anchor).
 */
final class ScheduleAnchors
{
    static final String SUFFIX = ".anchors";

    private ScheduleAnchors()
    {
    }

    static String key(final int tableId, final byte[] row)
    {
        return tableId + ":" + HexFormat.of().formatHex(row);
    }

    static Path fileFor(final Path snapshotFile)
    {
        final String name = snapshotFile.getFileName().toString();
        return snapshotFile.resolveSibling(name.substring(0, name.lastIndexOf('.')) + SUFFIX);
    }

    static void write(final Path file, final Scheduler scheduler, final Database database) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        final int[] count = new int[1];
        scheduler.forEachInterval(database, (tableId, row, intendedMicros) ->
        {
            text.append(tableId).append(' ').append(HexFormat.of().formatHex(row)).append(' ')
                .append(intendedMicros).append('\n');
            count[0]++;
        });
        text.append("end ").append(count[0]).append('\n');
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads a snapshot's anchors.
     *
     * @param file     the anchors file.
     * @param problems receives why it was not usable.
     * @return anchors by {@link #key}; empty when missing or damaged.
     */
    static Map<String, Long> read(final Path file, final List<String> problems)
    {
        final Map<String, Long> anchors = new HashMap<>();
        if (!Files.isRegularFile(file))
        {
            return anchors;
        }
        try
        {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            final String end = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (!end.equals("end " + (lines.size() - 1)))
            {
                throw new IOException("truncated (no end line for " + (lines.size() - 1) + " entries)");
            }
            for (int i = 0; i < lines.size() - 1; i++)
            {
                final String[] parts = lines.get(i).split(" ");
                if (parts.length != 3)
                {
                    throw new IOException("line " + (i + 1) + " is not <tableId> <row> <micros>");
                }
                anchors.put(key(Integer.parseInt(parts[0]), HexFormat.of().parseHex(parts[1])),
                    Long.parseLong(parts[2]));
            }
            return anchors;
        }
        catch (final IOException | RuntimeException ex)
        {
            problems.add(file + ": " + ex.getMessage() + "; interval schedules restart from now");
            anchors.clear();
            return anchors;
        }
    }
}
