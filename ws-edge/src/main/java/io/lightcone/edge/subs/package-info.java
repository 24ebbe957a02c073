/**
 * Live subscriptions: shared plans, evaluated once per transaction, fanned out per query set.
 */
package io.lightcone.edge.subs;
