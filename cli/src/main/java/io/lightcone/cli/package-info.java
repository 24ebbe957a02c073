/**
 * The {@code lightcone} command: {@link io.lightcone.cli.Lightcone} and its subcommands.
 */
package io.lightcone.cli;
