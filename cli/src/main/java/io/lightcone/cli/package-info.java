/**
 * The lightcone command.
 * <p>
 * Placeholder until its issue lands; the module exists so that the dependency direction is fixed now.
 */
package io.lightcone.cli;
