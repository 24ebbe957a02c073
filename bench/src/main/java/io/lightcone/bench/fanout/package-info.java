/**
 * The subscription fan-out benchmark (issue [7/7], performance-anchors section 7 B3): thousands of WebSocket
 * subscribers, each holding a filtered subscription, against a running Lightcone, with Redis PUBLISH/SUBSCRIBE as the
 * peer measured in the same run.
 */
package io.lightcone.bench.fanout;
