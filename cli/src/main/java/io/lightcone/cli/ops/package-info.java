/**
 * Operations: online and offline backups ({@link io.lightcone.cli.ops.Backup}, {@code lightcone backup}) through the
 * running server's owner-only {@link io.lightcone.cli.ops.AdminEndpoint}, restores checked byte by byte against the
 * backup's {@link io.lightcone.cli.ops.BackupManifest} ({@code lightcone restore}), the graceful shutdown of the
 * embedded server, structured (JSON lines) server logs and per-database module log files (docs/operations.md).
 */
package io.lightcone.cli.ops;
